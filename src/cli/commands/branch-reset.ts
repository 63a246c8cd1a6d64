// `sluice branch reset`: declared here; ../handlers/branch-reset.ts runs it.
import { defineCommand } from '../define.js';

export const branchReset = defineCommand({
  name: 'reset',
  description: 'point a branch at another commit, discarding its uncommitted changes',
  writes: 'ref',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'branch to move')
      .requiredOption('--to <ref>', 'commit (or any ref) to point the branch at'),
  handler: async () => (await import('../handlers/branch-reset.js')).run,
  remote: async () => (await import('../remote/branch-reset.js')).run,
});
