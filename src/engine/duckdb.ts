// One DuckDB database per operation: in memory, with a memory limit (by default a share of the
// machine's memory: memory-limit.ts) and a spill directory, so a large ingest or query streams
// and spills instead of holding its input. Errors become SqlError with
// DuckDB's own message (it names the table, column or line at fault).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader, Json } from '@duckdb/node-api';
import { ReadOnlySqlError, SqlError } from '../common/errors.js';
import { duckMemoryLimit } from './memory-limit.js';

export interface DuckOptions {
  /**
   * DuckDB's memory_limit: a size (`4GB`) or a share of the machine's memory (`50%`); default
   * half the machine's memory. DuckDB spills to `tempDir` beyond it.
   */
  memoryLimit?: string;
  /** Worker threads; default DuckDB's (one per core). */
  threads?: number;
  /** Where DuckDB spills; default the system temp dir. */
  tempDir?: string;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** Rows as JSON-safe values: numbers, strings (decimals, big integers, dates, times), null. */
  rows: Record<string, Json>[];
}

/** `'it''s'` — a SQL string literal. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
/** `"a ""b"""` — a SQL identifier. */
export const sqlIdent = (s: string): string => `"${s.replaceAll('"', '""')}"`;
/** `['a', 'b']` — a DuckDB list of string literals (file lists for read_parquet). */
export const sqlList = (items: readonly string[]): string => `[${items.map(sqlString).join(', ')}]`;

export class DuckSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(opts: DuckOptions = {}): Promise<DuckSession> {
    const tempDir = opts.tempDir ?? join(tmpdir(), 'sluice-duckdb');
    mkdirSync(tempDir, { recursive: true });
    const config: Record<string, string> = {
      memory_limit: duckMemoryLimit(opts.memoryLimit),
      temp_directory: tempDir,
      // Row order within a file is kept by COPY; across threads it need not be, and keeping it
      // would buffer whole inputs.
      preserve_insertion_order: 'false',
      enable_external_access: 'true',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (opts.threads !== undefined) config.threads = String(opts.threads);
    // Loaded here, not at the top: the native module costs a few hundred ms, and most callers
    // that import this file only want sqlString / sqlIdent.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    return new DuckSession(instance, connection);
  }

  /** Runs statements for their effect; returns the rows changed (rows written, for COPY). */
  async run(sql: string): Promise<number> {
    try {
      const r = await this.connection.run(sql);
      return Number(r.rowsChanged);
    } catch (err) {
      throw toSqlError(err, sql);
    }
  }

  /** Runs a query and reads every row. */
  async query(sql: string): Promise<QueryResult> {
    let reader: DuckDBResultReader;
    try {
      reader = await this.connection.runAndReadAll(sql);
    } catch (err) {
      throw toSqlError(err, sql);
    }
    const names = reader.columnNames();
    const types = reader.columnTypes();
    return {
      columns: names.map((name, i) => ({ name, type: String(types[i]) })),
      rows: reader.getRowObjectsJson(),
    };
  }

  /** Column names and types of a query's result, without running it. */
  async describe(sql: string): Promise<{ name: string; type: string }[]> {
    const r = await this.query(`DESCRIBE ${sql}`);
    return r.rows.map((row) => ({
      name: String(row.column_name),
      type: String(row.column_type),
    }));
  }

  /** Streams a query's rows in chunks, as JSON-safe objects. */
  async *stream(sql: string): AsyncIterable<{
    columns: { name: string; type: string }[];
    rows: Record<string, Json>[];
  }> {
    let result: Awaited<ReturnType<DuckDBConnection['stream']>>;
    try {
      result = await this.connection.stream(sql);
    } catch (err) {
      throw toSqlError(err, sql);
    }
    const names = result.columnNames();
    const columns = result
      .columnTypes()
      .map((t, i) => ({ name: names[i] as string, type: String(t) }));
    try {
      for await (const rows of result.yieldRowObjectJson()) yield { columns, rows };
    } catch (err) {
      throw toSqlError(err, sql);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Runs `fn` with a fresh session and closes it afterwards. */
export async function withDuck<T>(
  opts: DuckOptions,
  fn: (duck: DuckSession) => Promise<T>,
): Promise<T> {
  const duck = await DuckSession.open(opts);
  try {
    return await fn(duck);
  } finally {
    duck.close();
  }
}

/**
 * A DuckDB error as a SqlError (the message is DuckDB's, which names what is at fault), or as a
 * ReadOnlySqlError when a read-only session's locks refused it (see session.ts: `readOnly`).
 */
export function toSqlError(err: unknown, sql?: string): SqlError | ReadOnlySqlError {
  if (err instanceof SqlError || err instanceof ReadOnlySqlError) return err;
  // Streaming extracts the statements first and says so; the error is DuckDB's parser's all the
  // same, and reads the same whichever way the query ran.
  const message = (err instanceof Error ? err.message : String(err)).replace(
    /^Failed to extract statements: /,
    '',
  );
  const refused = refusalOf(message);
  if (refused) {
    const data = { refused: refused.kind, ...(sql !== undefined ? { sql } : {}) };
    return new ReadOnlySqlError(refused.message, data, { cause: err });
  }
  const line = /LINE (\d+):/.exec(message);
  return new SqlError(
    message,
    { ...(sql !== undefined ? { sql } : {}), ...(line ? { line: Number(line[1]) } : {}) },
    { cause: err },
  );
}

/** DuckDB's answers when its external-access or configuration lock refuses a statement. */
function refusalOf(
  message: string,
): { kind: 'file' | 'configuration'; message: string } | undefined {
  const first = message.split('\n')[0] as string;
  if (/^Permission Error: .*disabled (by|through) configuration/.test(first)) {
    const detail = first.replace(/^Permission Error: /, '');
    return {
      kind: 'file',
      message: `a read-only SQL session reads only the repository's tables: no files (read_csv, read_parquet of a path, COPY … TO, ATTACH, extensions) — ${detail}`,
    };
  }
  if (
    /^Invalid Input Error: Cannot change configuration option .* the configuration has been locked/.test(
      first,
    )
  ) {
    const option = /option "([^"]+)"/.exec(first)?.[1] ?? '';
    return {
      kind: 'configuration',
      message: `a read-only SQL session cannot change its configuration (SET, RESET, PRAGMA): option "${option}" is locked`,
    };
  }
  return undefined;
}
