// SQL as the server runs it: always in the engine's read-only session (only the attached refs'
// table files are readable, no SET), at most `limit` rows read (one more tells that the result was
// cut: `truncated`), and a time limit after which DuckDB is interrupted and the request answers
// QueryTimeoutError. The session lives for one request; nothing of it outlives the answer.
import {
  InvalidArgumentError,
  type QueryResult,
  QueryTimeoutError,
  type Repository,
  SqlError,
  type SqlSession,
  withSqlSession,
} from '../index.js';
import { splitStatements } from '../tables/index.js';

export interface SqlRequest {
  /** One or more statements; the last one's rows are the answer. */
  query: string;
  /** Refs whose tables are views (default: the default branch). */
  refs?: string[];
  limit: number;
  timeoutMs: number;
}

export interface SqlAnswer {
  columns: QueryResult['columns'];
  rows: QueryResult['rows'];
  truncated: boolean;
}

/** Interrupts DuckDB once the time is up; `check()` turns a late or interrupted run into a timeout. */
class Deadline {
  expired = false;
  private session: SqlSession | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.session?.duck.connection.interrupt();
    }, timeoutMs);
  }

  watch(session: SqlSession): void {
    this.session = session;
  }

  check(): void {
    if (this.expired) throw this.error();
  }

  error(): QueryTimeoutError {
    return new QueryTimeoutError(
      `the query ran longer than its time limit (${this.timeoutMs} ms) and was stopped`,
      { timeoutMs: this.timeoutMs },
    );
  }

  /** An interrupted statement's SqlError, once the time is up, is the timeout. */
  translate(err: unknown): unknown {
    return this.expired && err instanceof SqlError ? this.error() : err;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

/** Reads at most `limit` rows of `sql` (one more to know whether it was cut). */
async function firstRows(session: SqlSession, sql: string, limit: number, deadline: Deadline) {
  const answer: SqlAnswer = { columns: [], rows: [], truncated: false };
  for await (const chunk of session.duck.stream(sql)) {
    deadline.check();
    answer.columns = chunk.columns;
    for (const row of chunk.rows) {
      if (answer.rows.length === limit) {
        answer.truncated = true;
        return answer;
      }
      answer.rows.push(row);
    }
  }
  if (answer.columns.length === 0) {
    // A result without rows yields no chunk: its columns come from DESCRIBE (the newline keeps a
    // trailing `-- comment` from swallowing anything DuckDB adds).
    answer.columns = await session.duck.describe(`${sql}\n`).catch(() => []);
  }
  return answer;
}

/** Runs a read-only query at one or more refs with a row limit and a time limit. */
export async function runReadOnlySql(repo: Repository, req: SqlRequest): Promise<SqlAnswer> {
  const statements = splitStatements(req.query).statements;
  const last = statements.at(-1);
  if (last === undefined) {
    throw new InvalidArgumentError('no SQL statement given', {
      argument: 'query',
      reason: 'empty',
    });
  }
  const deadline = new Deadline(req.timeoutMs);
  try {
    const refs = req.refs?.length ? req.refs : [repo.defaultBranch];
    return await withSqlSession(repo, { refs, readOnly: true }, async (session) => {
      deadline.watch(session);
      deadline.check();
      for (const s of statements.slice(0, -1)) {
        await session.duck.run(s);
        deadline.check();
      }
      return firstRows(session, last, req.limit, deadline);
    });
  } catch (err) {
    throw deadline.translate(err);
  } finally {
    deadline.clear();
  }
}
