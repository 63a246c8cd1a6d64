// `sluice alias set`: declared here; ../handlers/alias-set.ts runs it.
import { defineCommand } from '../define.js';

export const aliasSet = defineCommand({
  name: 'set',
  description: 'point an alias at a branch (creating the alias if needed)',
  writes: 'ref',
  configure: (cmd) => cmd.argument('<name>', 'alias name').argument('<branch>', 'branch it names'),
  handler: async () => (await import('../handlers/alias-set.js')).run,
  remote: async () => (await import('../remote/alias-set.js')).run,
});
