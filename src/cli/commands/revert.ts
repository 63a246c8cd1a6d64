// `sluice revert COMMIT`: declared here; ../handlers/revert.ts runs it.
import { defineCommand } from '../define.js';

export const revert = defineCommand({
  name: 'revert',
  description: "commit the inverse of COMMIT's changes on a branch",
  writes: 'branch',
  configure: (cmd) =>
    cmd
      .argument('<commit>', 'commit (any ref naming it)')
      .option('--parent <n>', 'for a merge commit: which parent to compare with (1-based)'),
  handler: async () => (await import('../handlers/revert.js')).run,
  remote: async () => (await import('../remote/revert.js')).run,
});
