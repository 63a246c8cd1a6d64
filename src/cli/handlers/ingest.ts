// `sluice ingest SRC... --table NAME`: files (CSV, JSON, NDJSON, Parquet; a file, a directory or a
// glob) become Parquet files of a table, staged on a branch all at once — and committed with
// `--commit` or `-m`. A bad input stages nothing (the library reads every input before storing).
import { type IngestResult, InvalidArgumentError, ingest } from '../../index.js';
import { firstLine } from '../../internal.js';
import {
  type CsvOptions,
  INGEST_FORMATS,
  type IngestProgress,
  parseTableName,
  readSchemaFile,
  type SchemaChange,
  WRITE_MODES,
} from '../../tables/index.js';
import { commaList, metadata, nonEmpty, oneOf, singleChar } from '../options.js';
import { commitJson, type Output, shortId } from '../output.js';
import type { ProgressBar } from '../progress.js';
import type { CommandContext } from '../runner.js';

interface IngestCliOptions {
  table: string;
  branch?: string;
  format?: string;
  mode?: string;
  key?: string;
  partitionBy?: string;
  schema?: string;
  delimiter?: string;
  header: boolean;
  quote?: string;
  null?: string[];
  decimalSeparator?: string;
  dateFormat?: string;
  timestampFormat?: string;
  commit?: boolean;
  message?: string;
  meta?: string[];
  idempotencyKey?: string;
}

export async function run(
  ctx: CommandContext,
  src: string[],
  opts: IngestCliOptions,
): Promise<number> {
  const format = oneOf(opts.format, INGEST_FORMATS, '--format');
  const mode = oneOf(opts.mode, WRITE_MODES, '--mode');
  const key = commaList(opts.key, '--key');
  const partitionBy = commaList(opts.partitionBy, '--partition-by');
  const csv: CsvOptions = {
    ...(opts.delimiter !== undefined
      ? { delimiter: singleChar(opts.delimiter, '--delimiter') }
      : {}),
    ...(opts.header === false ? { header: false } : {}),
    ...(opts.quote !== undefined ? { quote: singleChar(opts.quote, '--quote') } : {}),
    ...(opts.null?.length ? { nullValues: opts.null } : {}),
    ...(opts.decimalSeparator !== undefined
      ? { decimalSeparator: singleChar(opts.decimalSeparator, '--decimal-separator') }
      : {}),
    ...(opts.dateFormat !== undefined ? { dateFormat: opts.dateFormat } : {}),
    ...(opts.timestampFormat !== undefined ? { timestampFormat: opts.timestampFormat } : {}),
  };
  const table = parseTableName(opts.table);
  const meta = metadata(opts.meta);
  const commit = opts.commit === true || opts.message !== undefined;
  if (opts.idempotencyKey !== undefined && !commit) {
    throw new InvalidArgumentError(
      '--idempotency-key applies to a commit: pass --commit or -m too',
      {
        argument: '--idempotency-key',
        reason: 'no commit',
      },
    );
  }
  if (meta && !commit) {
    throw new InvalidArgumentError('--meta is commit metadata: pass --commit or -m too', {
      argument: '--meta',
      reason: 'no commit',
    });
  }
  const message =
    opts.message !== undefined
      ? nonEmpty(opts.message, '--message')
      : `Ingest ${table} (${mode ?? 'append'})`;
  const schema = opts.schema !== undefined ? await readSchemaFile(opts.schema) : undefined;

  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  const progress = phaseProgress(ctx);
  let result: IngestResult;
  try {
    result = await ingest(repo, src, {
      table,
      branch,
      ...(format ? { format } : {}),
      ...(mode ? { mode } : {}),
      ...(key ? { key } : {}),
      ...(partitionBy ? { partitionBy } : {}),
      ...(schema ? { schema } : {}),
      csv,
      ...(commit ? { commit: { message, ...(meta ? { metadata: meta } : {}) } } : {}),
      ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.stop();
  }
  ctx.out.result(
    { ...result, ...(result.commit ? { commit: commitJson(result.commit) } : {}) },
    () => printSummary(ctx.out, result),
  );
  return 0;
}

function phaseProgress(ctx: CommandContext): {
  update(p: IngestProgress): void;
  stop(): void;
} {
  let phase: IngestProgress['phase'] | undefined;
  let bar: ProgressBar | undefined;
  return {
    update(p) {
      if (p.phase !== phase) {
        bar?.stop();
        phase = p.phase;
        bar = p.phase === 'commit' ? undefined : ctx.progress(p.phase, p.total);
      }
      bar?.update(p.done, p.total);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

function schemaChangeText(c: SchemaChange): string {
  switch (c.change) {
    case 'added':
      return `+ ${c.column} ${c.after ?? ''}`.trimEnd();
    case 'removed':
      return `- ${c.column} ${c.before ?? ''}`.trimEnd();
    case 'retyped':
      return `~ ${c.column} ${c.before ?? '?'} → ${c.after ?? '?'}`;
  }
}

/** What the ingest did: information, not data — all of it silenced by --quiet. */
function printSummary(out: Output, r: IngestResult): void {
  const verb = r.created ? 'created table' : r.mode === 'overwrite' ? 'overwrote' : 'wrote to';
  out.note(
    `${verb} ${r.table} on ${r.branch} (${r.mode}): ${plural(r.rowsWritten, 'row')} written` +
      (r.rowsReplaced > 0 ? `, ${plural(r.rowsReplaced, 'row')} replaced` : ''),
  );
  for (const i of r.inputs) out.note(`  read ${i.file} (${i.format}, ${plural(i.rows, 'row')})`);
  out.note(
    `files: ${r.filesAdded.length} added, ${r.filesRemoved.length} removed` +
      (r.primaryKey?.length ? `; key (${r.primaryKey.join(', ')})` : '') +
      (r.partitionBy?.length ? `; partitioned by (${r.partitionBy.join(', ')})` : ''),
  );
  if (r.schemaChanges.length > 0) {
    out.note('schema changes:');
    for (const c of r.schemaChanges) out.note(`  ${schemaChangeText(c)}`);
  }
  if (r.replayed) out.note('already applied under this idempotency key: nothing new written');
  if (r.commit) out.note(`[${r.branch} ${shortId(r.commit.id)}] ${firstLine(r.commit.message)}`);
  else out.note(`staged on ${r.branch}; commit with: sluice commit -b ${r.branch} -m MSG`);
}
