// `sluice merge SOURCE [-b DEST]`: declared here; ../handlers/merge.ts runs it.
import { defineCommand } from '../define.js';

export const merge = defineCommand({
  name: 'merge',
  description: 'merge SOURCE into a branch',
  writes: 'branch',
  runsSql: true,
  branchHelp: 'branch to merge into (default: the default branch)',
  configure: (cmd) =>
    cmd
      .argument('<source>', 'ref to merge from')
      .option('--into <branch>', 'same as --branch')
      .option('--strategy <strategy>', 'on conflict: fail (default), source-wins or dest-wins')
      .option('-m, --message <message>', 'message of the merge commit')
      .option('--no-ff', 'record a merge commit even when a fast-forward is possible')
      .option(
        '--force',
        "merge although the destination's gate refused (only where sluice.yml allows; recorded)",
      ),
  handler: async () => (await import('../handlers/merge.js')).run,
  remote: async () => (await import('../remote/merge.js')).run,
});
