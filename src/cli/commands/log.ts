// `sluice log`: declared here; ../handlers/log.ts runs it.
import { defineCommand } from '../define.js';

export const log = defineCommand({
  name: 'log',
  description: 'show the commit history of a ref',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('[ref]', 'where to start (default: the default branch)')
      .option('-n, --limit <n>', 'show at most N commits')
      .option('--path <path>', 'only commits that changed this path (or anything under it)')
      .option('--oneline', 'one line per commit'),
  handler: async () => (await import('../handlers/log.js')).run,
  remote: async () => (await import('../remote/log.js')).run,
});
