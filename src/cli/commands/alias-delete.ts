// `sluice alias delete`: declared here; ../handlers/alias-delete.ts runs it.
import { defineCommand } from '../define.js';

export const aliasDelete = defineCommand({
  name: 'delete',
  description: 'delete an alias',
  writes: 'ref',
  configure: (cmd) => cmd.argument('<name>', 'alias to delete'),
  handler: async () => (await import('../handlers/alias-delete.js')).run,
  remote: async () => (await import('../remote/alias-delete.js')).run,
});
