// `sluice commit`: declared here; ../handlers/commit.ts runs it.
import { defineCommand, repeatable } from '../define.js';

export const commit = defineCommand({
  name: 'commit',
  description: "commit a branch's staged changes",
  writes: 'branch',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .requiredOption('-m, --message <message>', 'commit message')
      .option('--meta <key=value>', 'commit metadata (repeatable)', repeatable)
      .option('--allow-empty', 'commit even when nothing changed')
      .option(
        '--path <path>',
        'commit only the staged changes at or under this path (repeatable); the rest stays staged',
        repeatable,
      ),
  handler: async () => (await import('../handlers/commit.js')).run,
  remote: async () => (await import('../remote/commit.js')).run,
});
