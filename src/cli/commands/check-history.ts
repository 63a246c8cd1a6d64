// `sluice check history`: declared here; ../handlers/check-history.ts runs it.
import { defineCommand } from '../define.js';

export const checkHistory = defineCommand({
  name: 'history',
  description: "a table's stored check results, newest run first",
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<table>', 'table name')
      .option('-n, --limit <n>', 'at most this many runs (default 20)'),
  handler: async () => (await import('../handlers/check-history.js')).run,
  remote: async () => (await import('../remote/check-history.js')).run,
});
