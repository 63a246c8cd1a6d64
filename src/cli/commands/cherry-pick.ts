// `sluice cherry-pick COMMIT`: declared here; ../handlers/cherry-pick.ts runs it.
import { defineCommand } from '../define.js';

export const cherryPick = defineCommand({
  name: 'cherry-pick',
  description: "apply COMMIT's changes again on a branch, as a new commit",
  writes: 'branch',
  configure: (cmd) =>
    cmd
      .argument('<commit>', 'commit (any ref naming it)')
      .option('--parent <n>', 'for a merge commit: which parent to compare with (1-based)'),
  handler: async () => (await import('../handlers/cherry-pick.js')).run,
  remote: async () => (await import('../remote/cherry-pick.js')).run,
});
