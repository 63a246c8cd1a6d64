// `sluice check import-ge SUITE --table NAME`: declared here; ../handlers/check-import-ge.ts runs it.
import { defineCommand } from '../define.js';

export const checkImportGe = defineCommand({
  name: 'import-ge',
  description: 'convert a Great Expectations suite (JSON) into check YAML for one table',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<suite>', 'the suite file (GX 0.x or 1.x JSON)')
      .option('--table <name>', 'the table the expectations apply to (required)')
      .option('--out <file>', 'write the YAML here (e.g. checks/orders.yml) instead of printing it')
      .option('--force', 'overwrite --out if it exists'),
  handler: async () => (await import('../handlers/check-import-ge.js')).run,
});
