// `sluice table show`: declared here; ../handlers/table-show.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const tableShow = defineCommand({
  name: 'show',
  description: "show a table's schema, key, rows, size and files",
  writes: 'read',
  runsSql: true,
  configure: (cmd) => cmd.argument('<name>', 'table name').addOption(refOption()),
  handler: async () => (await import('../handlers/table-show.js')).run,
  remote: async () => (await import('../remote/table.js')).show,
});
