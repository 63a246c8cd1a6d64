// `sluice gc`: declared here; ../handlers/gc.ts runs it.
import { Option } from 'commander';
import { defineCommand } from '../define.js';

export const gc = defineCommand({
  name: 'gc',
  description: 'remove expired sandboxes, then delete unreachable objects, nodes and commits',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .option(
        '--retention-days <n>',
        'keep commits younger than this many days even if unreachable (default 7)',
      )
      .option('--dry-run', 'report what would be deleted, delete nothing')
      .addOption(
        new Option('--grace-seconds <n>', 'keep objects written this recently (tests)').hideHelp(),
      ),
  handler: async () => (await import('../handlers/gc.js')).run,
});
