// `sluice ingest`: declared here; ../handlers/ingest.ts runs it.
import { defineCommand, repeatable } from '../define.js';

export const ingest = defineCommand({
  name: 'ingest',
  description: 'load files into a table (staged; committed with --commit or -m)',
  writes: 'branch',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .argument('<src...>', 'files, directories or globs (quote globs: "exports/*.csv")')
      .requiredOption('--table <name>', 'table to write (created when missing)')
      .option('--format <format>', 'input format: csv|json|ndjson|parquet (default: by extension)')
      .option('--mode <mode>', 'append|overwrite|upsert (default: append)')
      .option('--key <cols>', 'primary key columns, comma-separated (needed by upsert)')
      .option(
        '--partition-by <cols>',
        'Hive-style partition columns, comma-separated (region=eu/day=…/); set on create or overwrite',
      )
      .option('--schema <file>', 'columns and types (YAML or JSON) instead of inference')
      .option(
        '--delimiter <char>',
        'CSV field separator (default , — or ; tab | when the file is so separated; a tab for .tsv; \\t for tab)',
      )
      .option('--no-header', 'CSV files have no header line')
      .option('--quote <char>', 'CSV quote character (default ")')
      .option(
        '--null <value>',
        'CSV value read as NULL (repeatable; default the empty field)',
        repeatable,
      )
      .option(
        '--decimal-separator <char>',
        'CSV decimal separator: . (default) or , (1,50 — with --delimiter ";")',
      )
      .option('--date-format <fmt>', 'strftime format of CSV dates that are not ISO 8601')
      .option('--timestamp-format <fmt>', 'strftime format of CSV timestamps that are not ISO 8601')
      .option('--commit', 'commit the branch after staging')
      .option('-m, --message <message>', 'commit message (implies --commit)')
      .option('--meta <key=value>', 'commit metadata (repeatable)', repeatable)
      .option(
        '--idempotency-key <key>',
        'with --commit: a retry with the same key adds nothing and answers with the first commit',
      ),
  handler: async () => (await import('../handlers/ingest.js')).run,
});
