// `sluice sql [QUERY]`: SQL over the tables of one or more refs (each table a view over its
// Parquet files). The result goes to stdout as an aligned table, CSV, JSON or NDJSON, or to a file
// with --out. Without QUERY: an interactive prompt when stdin is a terminal, else the SQL read
// from stdin. Several statements run in order; the last one's result is the output.
import { createInterface } from 'node:readline';
import {
  InvalidArgumentError,
  type QueryResult,
  type SqlSession,
  withSqlSession,
} from '../../index.js';
import {
  copyToFile,
  OUTPUT_FORMATS,
  type OutputFormat,
  outputFormatOf,
  splitStatements,
} from '../../tables/index.js';
import { toCliError } from '../errors.js';
import { oneOf } from '../options.js';
import type { Output } from '../output.js';
import type { CommandContext } from '../runner.js';
import { terminalText } from '../terminal-text.js';

export { splitStatements };

const SQL_FORMATS = ['table', 'csv', 'json', 'ndjson', 'parquet'] as const;
type SqlFormat = (typeof SQL_FORMATS)[number];

export interface SqlCliOptions {
  ref?: string[];
  format?: string;
  out?: string;
  readOnly?: boolean;
}

type Row = QueryResult['rows'][number];
type Value = Row[string];
type Columns = QueryResult['columns'];

/** What the command line asks, checked before anything is opened (locally and remotely). */
export interface SqlPlan {
  format: SqlFormat | undefined;
  fileFormat: OutputFormat | undefined;
  /** No QUERY, stdin a terminal: the prompt. */
  interactive: boolean;
  /** The SQL text (QUERY or stdin) and its statements; empty when interactive. */
  text: string;
  statements: string[];
  stdin: NodeJS.ReadableStream;
}

export async function planSql(
  ctx: CommandContext,
  query: string | undefined,
  opts: SqlCliOptions,
): Promise<SqlPlan> {
  const format = oneOf(opts.format, SQL_FORMATS, '--format');
  if (opts.readOnly && opts.out !== undefined) {
    throw new InvalidArgumentError('--out writes a file: not with --read-only', {
      argument: '--out',
      reason: 'read-only',
    });
  }
  const fileFormat = opts.out !== undefined ? outFormat(opts.out, format) : undefined;
  if (fileFormat === undefined && format === 'parquet') {
    throw new InvalidArgumentError('--format parquet writes a file: pass --out FILE', {
      argument: '--format',
      reason: 'parquet needs --out',
    });
  }
  const stdin = ctx.io.stdin ?? process.stdin;
  const interactive =
    query === undefined && (stdin as { isTTY?: boolean }).isTTY === true && !ctx.out.json;
  let text = '';
  let statements: string[] = [];
  if (!interactive) {
    text = query ?? (await readAll(stdin));
    statements = splitStatements(text).statements;
    if (statements.length === 0) {
      throw new InvalidArgumentError(
        query === undefined ? 'no SQL on stdin' : 'no SQL statement given',
        { argument: 'query', reason: 'empty' },
      );
    }
  }
  return { format, fileFormat, interactive, text, statements, stdin };
}

export async function run(
  ctx: CommandContext,
  query: string | undefined,
  opts: SqlCliOptions,
): Promise<number> {
  const plan = await planSql(ctx, query, opts);
  const { statements, fileFormat } = plan;
  const repo = await ctx.repo();
  const refs = opts.ref?.length ? opts.ref : [await ctx.ref(undefined)];
  return withSqlSession(repo, { refs, readOnly: opts.readOnly === true }, async (session) => {
    if (plan.interactive) {
      await repl(ctx, session, plan.stdin);
      return 0;
    }
    const last = statements[statements.length - 1] as string;
    for (const s of statements.slice(0, -1)) await session.duck.run(s);
    if (opts.out !== undefined && fileFormat !== undefined) {
      // The newline keeps a trailing `-- comment` from swallowing COPY's parenthesis.
      const rows = await copyToFile(session.duck, `${last}\n`, opts.out, fileFormat);
      ctx.out.result({ out: opts.out, format: fileFormat, rows }, () =>
        ctx.out.note(`wrote ${rows} row(s) to ${opts.out} (${fileFormat})`),
      );
      return 0;
    }
    // parquet without --out was refused by planSql.
    const f = (ctx.out.json ? 'json' : (plan.format ?? 'table')) as Exclude<SqlFormat, 'parquet'>;
    if (ctx.out.json || f === 'table') printResult(ctx, f, await session.duck.query(last));
    else await writeRows(ctx, session.duck.stream(last), f as RowFormat);
    return 0;
  });
}

/**
 * A whole result as the command prints it: one JSON document under --json, else the aligned
 * table, or CSV, JSON or NDJSON (the remote command's result comes whole).
 */
export async function printResult(
  ctx: CommandContext,
  format: Exclude<SqlFormat, 'parquet'>,
  r: QueryResult,
): Promise<void> {
  if (ctx.out.json) ctx.out.result({ columns: r.columns, rows: r.rows }, () => {});
  else if (format === 'table') printTable(ctx.out, r);
  else await writeRows(ctx, oneChunk(r), format);
}

async function* oneChunk(r: QueryResult): AsyncIterable<QueryResult> {
  // DuckDB yields no chunk for an empty result: neither does this (CSV then has no header).
  if (r.rows.length > 0) yield r;
}

function outFormat(out: string, format: SqlFormat | undefined): OutputFormat {
  if (format === 'table') {
    throw new InvalidArgumentError(
      `--format table prints to the terminal; for --out use ${OUTPUT_FORMATS.join(', ')}`,
      { argument: '--format', reason: 'not a file format' },
    );
  }
  return outputFormatOf(out, format);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

// ---- rendering ------------------------------------------------------------------------------------

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL\(\d+,\s*\d+\))$/;
const JSON_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function displayText(v: Value): string {
  if (v === null) return 'NULL';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return terminalText(s).replace(/\t/g, '\\t');
}

/** Header, a rule, the rows (numbers right-aligned, NULL as NULL), then a row count. */
export function printTable(out: Output, r: QueryResult): void {
  if (r.columns.length === 0) return;
  const right = r.columns.flatMap((c, i) => (NUMERIC_TYPE.test(c.type) ? [i] : []));
  const names = r.columns.map((c) => c.name);
  const body = r.rows.map((row) => names.map((name) => displayText(row[name] ?? null)));
  const headers = names.map((name) => displayText(name));
  const widths = headers.map((name, i) =>
    Math.max(name.length, ...body.map((b) => (b[i] ?? '').length)),
  );
  out.table([headers, widths.map((w) => '-'.repeat(w)), ...body], right);
  out.note(`(${r.rows.length} row${r.rows.length === 1 ? '' : 's'})`);
}

function csvCell(v: Value): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s === '' || /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A row as JSON; big integers and decimals (strings in a QueryResult) are written as numbers. */
function jsonRow(columns: Columns, row: Row): string {
  const fields = columns.map((c) => {
    const v = row[c.name] ?? null;
    const raw = typeof v === 'string' && NUMERIC_TYPE.test(c.type) && JSON_NUMBER.test(v);
    return `${JSON.stringify(c.name)}:${raw ? v : JSON.stringify(v)}`;
  });
  return `{${fields.join(',')}}`;
}

/** CSV (with a header), a JSON array or NDJSON on stdout, chunk by chunk as DuckDB yields rows. */
type RowFormat = 'csv' | 'json' | 'ndjson';

async function writeRows(
  ctx: CommandContext,
  chunks: AsyncIterable<QueryResult>,
  format: RowFormat,
): Promise<void> {
  const write = (text: string): Promise<void> => ctx.out.raw(Buffer.from(text));
  let first = true;
  let columns: Columns | undefined;
  for await (const chunk of chunks) {
    if (!columns) {
      columns = chunk.columns;
      if (format === 'csv') await write(`${columns.map((c) => csvCell(c.name)).join(',')}\n`);
      if (format === 'json') await write('[');
    }
    const cols = columns;
    let text = '';
    for (const row of chunk.rows) {
      if (format === 'csv') text += `${cols.map((c) => csvCell(row[c.name] ?? null)).join(',')}\n`;
      else if (format === 'ndjson') text += `${jsonRow(cols, row)}\n`;
      else {
        text += `${first ? '\n' : ',\n'}${jsonRow(cols, row)}`;
        first = false;
      }
    }
    if (text) await write(text);
  }
  if (format === 'json') await write(columns && !first ? '\n]\n' : columns ? ']\n' : '[]\n');
}

// ---- the interactive prompt -----------------------------------------------------------------------

const PROMPT = 'sluice> ';
const CONTINUE = '   ...> ';

/** Reads statements until `.exit`, `.quit` or Ctrl-D; an error is printed and the prompt goes on. */
async function repl(
  ctx: CommandContext,
  session: SqlSession,
  input: NodeJS.ReadableStream,
): Promise<void> {
  const rl = createInterface({
    input,
    output: ctx.io.stdout,
    terminal: true,
    prompt: PROMPT,
    historySize: 1000,
  });
  let buffer = '';
  let interrupted = false;
  rl.on('SIGINT', () => {
    if (buffer.trim() === '' && interrupted) {
      rl.close();
      return;
    }
    ctx.io.stdout.write(buffer.trim() === '' ? '\n(.exit or Ctrl-D to leave)\n' : '\n');
    interrupted = buffer.trim() === '';
    buffer = '';
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
  const views = session.attached.flatMap((a) =>
    a.tables.map((t) => (session.attached.length === 1 ? t : `${a.schema}.${t}`)),
  );
  ctx.out.note(
    `SQL on ${session.attached.map((a) => (session.attached.length === 1 ? a.ref : `${a.ref} (schema ${a.schema})`)).join(', ')}: ` +
      `${views.length} table(s). End statements with ;  .tables lists them, .exit leaves.`,
  );
  rl.prompt();
  for await (const line of rl) {
    interrupted = false;
    if (buffer.trim() === '' && line.trim().startsWith('.')) {
      const cmd = line.trim();
      if (cmd === '.exit' || cmd === '.quit') break;
      if (cmd === '.tables') for (const v of views) ctx.out.line(v);
      else if (cmd === '.help')
        ctx.out.block('.tables  list the tables\n.exit    leave (also .quit, Ctrl-D)');
      else
        ctx.out.error(
          toCliError(
            new InvalidArgumentError(`unknown command ${cmd} (try .help)`, {
              argument: cmd,
              reason: 'unknown',
            }),
          ),
        );
      rl.prompt();
      continue;
    }
    buffer += `${line}\n`;
    const { statements, rest } = splitStatements(buffer);
    buffer = rest;
    // With an unfinished statement left over, the last "statement" is that one: it waits.
    for (const s of statements.slice(0, buffer.trim() === '' ? undefined : -1)) {
      try {
        printTable(ctx.out, await session.duck.query(s));
      } catch (err) {
        ctx.out.error(toCliError(err));
      }
    }
    rl.setPrompt(buffer.trim() === '' ? PROMPT : CONTINUE);
    rl.prompt();
  }
  rl.close();
  ctx.io.stdout.write('\n');
}
