// `sluice ingest SRC... --table NAME`: files (CSV, JSON, NDJSON, Parquet; a file, a directory or a
// glob) become Parquet files of a table, staged on a branch all at once — and committed with
// `--commit` or `-m`. A bad input stages nothing (the library reads every input before storing).
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import {
  type Column,
  type CsvOptions,
  errorLine,
  firstLine,
  INGEST_FORMATS,
  type IngestProgress,
  type IngestResult,
  InvalidArgumentError,
  InvalidConfigError,
  ingest,
  parseTableName,
  type SchemaChange,
  WRITE_MODES,
} from '../../index.js';
import { fileError } from '../local-files.js';
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

// ---- the schema file ------------------------------------------------------------------------------

const ColumnEntry = z.object({ name: z.string().min(1), type: z.string().min(1) }).strict();
const SchemaFile = z
  .object({
    columns: z.union([
      z.array(ColumnEntry).min(1, 'no columns'),
      z
        .record(z.string().min(1), z.string().min(1))
        .refine((r) => Object.keys(r).length > 0, 'no columns'),
    ]),
  })
  .strict();

/**
 * Columns from `--schema FILE`: `{columns: [{name, type}]}` or `{columns: {name: type}}`, in YAML
 * (which also reads JSON) or JSON. A bad shape is InvalidConfigError naming the file.
 */
export async function readSchemaFile(file: string): Promise<Column[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError(err, file);
  }
  const bad = (reason: string): InvalidConfigError =>
    new InvalidConfigError(`schema file ${file}: ${reason}`, { file, reason });
  let doc: unknown;
  try {
    doc = file.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw bad(
      `not valid ${file.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${errorLine(err)}`,
    );
  }
  const r = SchemaFile.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw bad(
      `${where}${issue?.message ?? 'invalid'} — expected {columns: [{name, type}]} or {columns: {name: type}}`,
    );
  }
  const columns = Array.isArray(r.data.columns)
    ? r.data.columns
    : Object.entries(r.data.columns).map(([name, type]) => ({ name, type }));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw bad(`column ${c.name} is declared twice`);
    seen.add(c.name);
  }
  return columns;
}

// ---- output ---------------------------------------------------------------------------------------

/** One bar per phase (read, rewrite, store), replaced when the phase changes. */
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
  if (r.commit) out.note(`[${r.branch} ${shortId(r.commit.id)}] ${firstLine(r.commit.message)}`);
  else out.note(`staged on ${r.branch}; commit with: sluice commit -b ${r.branch} -m MSG`);
}
