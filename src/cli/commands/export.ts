// `sluice export`: declared here; ../handlers/export.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const exportCmd = defineCommand({
  name: 'export',
  description: 'write a table to a local file (Parquet, CSV, JSON or NDJSON)',
  writes: 'read',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .argument('<name>', 'table name')
      .requiredOption('--out <file>', 'file to write')
      .option('--format <format>', 'parquet|csv|json|ndjson (default: from the --out extension)')
      .addOption(refOption()),
  handler: async () => (await import('../handlers/export.js')).run,
});
