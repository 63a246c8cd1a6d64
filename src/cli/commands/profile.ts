// `sluice profile`: declared here; ../handlers/profile.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const profile = defineCommand({
  name: 'profile',
  description: "profile a table's columns (and store the profile for anomaly checks)",
  writes: 'repository',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .argument('<table>', 'table name')
      .addOption(refOption())
      .option('--no-store', 'do not record the profile'),
  handler: async () => (await import('../handlers/profile.js')).run,
});
