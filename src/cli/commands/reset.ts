// `sluice reset`: declared here; ../handlers/reset.ts runs it.
import { defineCommand } from '../define.js';

export const reset = defineCommand({
  name: 'reset',
  description: "discard a branch's uncommitted changes (all of them, or those at/under PATH)",
  writes: 'branch',
  configure: (cmd) => cmd.argument('[path]', 'only changes at this path or under it'),
  handler: async () => (await import('../handlers/reset.js')).run,
});
