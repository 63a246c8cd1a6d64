// `sluice branch delete`: declared here; ../handlers/branch-delete.ts runs it.
import { defineCommand } from '../define.js';

export const branchDelete = defineCommand({
  name: 'delete',
  description: 'delete a branch (not the default branch, nor the target of an alias)',
  writes: 'ref',
  configure: (cmd) => cmd.argument('<name>', 'branch to delete'),
  handler: async () => (await import('../handlers/branch-delete.js')).run,
  remote: async () => (await import('../remote/branch-delete.js')).run,
});
