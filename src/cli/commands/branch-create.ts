// `sluice branch create`: declared here; ../handlers/branch-create.ts runs it.
import { defineCommand } from '../define.js';

export const branchCreate = defineCommand({
  name: 'create',
  description: 'create a branch',
  writes: 'ref',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'name of the new branch')
      .option('--from <ref>', 'where the branch starts (default: the default branch)'),
  handler: async () => (await import('../handlers/branch-create.js')).run,
  remote: async () => (await import('../remote/branch-create.js')).run,
});
