// `sluice check suggest TABLE`: declared here; ../handlers/check-suggest.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const checkSuggest = defineCommand({
  name: 'suggest',
  description: "propose checks from a table's data (printed as check YAML)",
  writes: 'read',
  runsSql: true,
  configure: (cmd) => cmd.argument('<table>', 'table name').addOption(refOption()),
  handler: async () => (await import('../handlers/check-suggest.js')).run,
});
