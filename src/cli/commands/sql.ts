// `sluice sql`: declared here; ../handlers/sql.ts runs it.
import { defineCommand, repeatable } from '../define.js';

export const sql = defineCommand({
  name: 'sql',
  description:
    'run SQL over the tables of refs (no QUERY: a prompt on a terminal, else SQL from stdin)',
  writes: 'read',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .argument('[query]', 'SQL; several statements run in order and the last one is printed')
      .option(
        '--ref <ref>',
        'ref whose tables are views (repeatable; several refs: one schema per ref, feat/x → feat_x)',
        repeatable,
      )
      .option(
        '--format <format>',
        'table|csv|json|ndjson|parquet (default: table on stdout, else from the --out extension)',
      )
      .option('--out <file>', 'write the result to a file (parquet, csv, json, ndjson)')
      .option(
        '--read-only',
        "the repository's tables only: no file reads or writes (COPY … TO, read_csv, ATTACH), no SET (as the server runs SQL)",
      ),
  handler: async () => (await import('../handlers/sql.js')).run,
  remote: async () => (await import('../remote/sql.js')).run,
});
