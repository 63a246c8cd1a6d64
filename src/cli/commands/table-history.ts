// `sluice table history`: declared here; ../handlers/table-history.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const tableHistory = defineCommand({
  name: 'history',
  description: 'show the commits that changed a table',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'table name')
      .addOption(refOption())
      .option('-n, --limit <n>', 'show at most N commits')
      .option('--oneline', 'one line per commit'),
  handler: async () => (await import('../handlers/table-history.js')).run,
  remote: async () => (await import('../remote/table.js')).history,
});
