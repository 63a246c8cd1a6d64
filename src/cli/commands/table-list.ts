// `sluice table list`: declared here; ../handlers/table-list.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const tableList = defineCommand({
  name: 'list',
  description: 'list the tables at a ref',
  writes: 'read',
  configure: (cmd) => cmd.addOption(refOption()),
  handler: async () => (await import('../handlers/table-list.js')).run,
  remote: async () => (await import('../remote/table.js')).list,
});
