// The one state the phases of a check run share (see ../run.ts): what the run resolved before
// measuring — ref, commit, tables, the specs to measure and the verdicts reused — and what it
// found: results, profiles, the number of queries.
import type { Repository } from '../../core/repository.js';
import { type DuckSession, type QueryResult, sqlIdent } from '../../engine/duckdb.js';
import { type SqlSession, schemaNameOf } from '../../engine/session.js';
import type { TableAtRef } from '../../engine/tables.js';
import type { TableProfile } from '../profile.js';
import type { CheckResult, RunOptions } from '../run.js';
import type { CheckSpec } from '../spec.js';
import { baseResult } from './verdicts.js';

export interface RunState {
  readonly repo: Repository;
  readonly opts: RunOptions;
  readonly ref: string;
  readonly commit: string;
  readonly startedAt: Date;
  /** `performance.now()` when the run started. */
  readonly t0: number;
  /** A read at `ref` saw exactly `commit`'s data when the run started (see measured.ts). */
  readonly pinned: boolean;
  /** The specs asked for (only `opts.table`'s, if given), in the order results are reported. */
  readonly wanted: CheckSpec[];
  /** Results taken from `opts.reuse` instead of measured. */
  readonly reused: Map<string, CheckResult>;
  readonly tables: Map<string, TableAtRef>;
  /** The specs this run measures, validated against the tables (names in their spelling). */
  readonly specs: CheckSpec[];
  /** Clock for freshness checks. */
  readonly now: Date;
  /** Every result so far, by spec id (reused ones included). */
  readonly results: Map<string, CheckResult>;
  readonly profiles: Map<string, TableProfile>;
  /** Queries run (scans, footers, group-bys, anti-joins, custom SQL, samples). */
  queries: number;
}

/** Queries in the run's session: each one counted, tables named in the ref's schema. */
export interface Queries {
  readonly duck: DuckSession;
  from(table: string): string;
  query(sql: string): Promise<QueryResult>;
}

export function queriesIn(s: RunState, session: SqlSession): Queries {
  const schema = sqlIdent(schemaNameOf(s.ref));
  return {
    duck: session.duck,
    from: (table) => `${schema}.${sqlIdent(table)}`,
    query: async (sql) => {
      s.queries++;
      return session.duck.query(sql);
    },
  };
}

/** A check that could not be measured: an error result carrying the reason. */
export function setError(s: RunState, spec: CheckSpec, err: unknown): void {
  s.results.set(spec.id, {
    ...baseResult(spec),
    status: 'error',
    message: err instanceof Error ? err.message : String(err),
  });
}
