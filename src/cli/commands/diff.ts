// `sluice diff`: declared here; ../handlers/diff.ts runs it.
import { branchOption, defineCommand } from '../define.js';

export const diff = defineCommand({
  name: 'diff',
  description:
    'show changes: uncommitted (no ref), LEFT vs the branch head (one), LEFT vs RIGHT (two)',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('[left]', 'ref to compare from')
      .argument('[right]', 'ref to compare to (default: the head commit of --branch)')
      .option('--prefix <prefix>', 'only paths starting with this prefix')
      .addOption(branchOption()),
  handler: async () => (await import('../handlers/diff.js')).run,
  remote: async () => (await import('../remote/diff.js')).run,
});
