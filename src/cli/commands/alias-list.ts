// `sluice alias list`: declared here; ../handlers/alias-list.ts runs it.
import { defineCommand } from '../define.js';

export const aliasList = defineCommand({
  name: 'list',
  description: 'list aliases',
  writes: 'read',
  handler: async () => (await import('../handlers/alias-list.js')).run,
  remote: async () => (await import('../remote/alias-list.js')).run,
});
