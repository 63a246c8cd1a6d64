// Executing a query plan in the run's session: the footers of profiled tables, then the fused
// scans, the group-bys and the single queries, each result decided as soon as it is measured.
// One bad expression (a `where`, a cast) must not take the others down: a failed fused scan runs
// its checks apart, and a failing query errors only the checks it measures.
import type { SqlSession } from '../../engine/session.js';
import type { TableAtRef } from '../../engine/tables.js';
import { checkDef } from '../checks.js';
import {
  type FooterFacts,
  footerFacts,
  type ProfilePlan,
  profileExprs,
  readProfile,
} from '../profile.js';
import type { Row } from '../run.js';
import { aggregateRow } from '../scan-batches.js';
import type { CheckSpec } from '../spec.js';
import {
  type QueryPlan,
  relationshipSql,
  type ScanGroup,
  scanExprs,
  scanSql,
  uniqueSql,
  whereSql,
} from './query-plan.js';
import { type Queries, type RunState, setError } from './state.js';
import { baseResult, countResult, scanResult, schemaResult } from './verdicts.js';

type ProfilePlans = Map<string, Required<ProfilePlan>>;

/** Runs every query of the plan and sets the result of each spec it measures. */
export async function executePlan(
  s: RunState,
  session: SqlSession,
  q: Queries,
  plan: QueryPlan,
): Promise<void> {
  const profiles = await profilePlans(s, session, q, plan);
  for (const group of plan.scans) await runScan(s, q, group, profiles);
  for (const group of plan.uniques) await runUnique(s, q, group);
  for (const spec of plan.singles) await runSingle(s, q, spec);
}

/** What each profiled table's scan measures: facts from the Parquet footers, deep columns. */
async function profilePlans(
  s: RunState,
  session: SqlSession,
  q: Queries,
  plan: QueryPlan,
): Promise<ProfilePlans> {
  const plans: ProfilePlans = new Map();
  for (const name of plan.profiled) {
    const t = s.tables.get(name) as TableAtRef;
    const paths: string[] = [];
    for (const f of t.files) paths.push(await session.cache.fileFor(f));
    let footer: FooterFacts = { nulls: new Map(), range: new Map() };
    try {
      s.queries++;
      footer = await footerFacts(q.duck, t, paths);
    } catch {
      // Footers that DuckDB cannot read as expected: the scan measures everything instead.
    }
    plans.set(name, { footer, deep: (c) => plan.watched.has(`${name}\u0000${c}`) });
  }
  return plans;
}

/**
 * One fused aggregate scan, in batches: row checks, aggregates, freshness — and the table's
 * profile. A batch that fails runs its checks (and the profile, if it held it) apart.
 */
async function runScan(
  s: RunState,
  q: Queries,
  group: ScanGroup,
  plans: ProfilePlans,
): Promise<void> {
  const plan = group.where === undefined ? plans.get(group.table) : undefined;
  const cols = (s.tables.get(group.table) as TableAtRef).manifest.columns;
  const { batches, unpack } = scanSql(group, cols, plan, q.from);
  const measured: Row = {};
  const failed = new Set<number>();
  let profileFailed = false;
  for (const batch of batches) {
    try {
      Object.assign(measured, (await q.query(batch.sql)).rows[0] ?? {});
    } catch {
      for (const i of batch.specs) failed.add(i);
      profileFailed ||= batch.profile;
    }
  }
  const row = unpack(measured);
  if (plan && !profileFailed)
    s.profiles.set(group.table, readProfile(group.table, cols, row, plan.footer));
  group.specs.forEach((spec, i) => {
    if (!failed.has(i)) s.results.set(spec.id, scanResult(baseResult(spec), spec, i, row, s.now));
  });
  if (failed.size > 0 || profileFailed)
    await runScanApart(s, q, group, [...failed], profileFailed ? plan : undefined);
}

/** Checks (indexes in the group) of a fused scan that failed, and its profile: each on its own. */
async function runScanApart(
  s: RunState,
  q: Queries,
  group: ScanGroup,
  failed: number[],
  plan: Required<ProfilePlan> | undefined,
): Promise<void> {
  const cols = (s.tables.get(group.table) as TableAtRef).manifest.columns;
  if (plan) {
    try {
      const row = await aggregateRow(q.query, q.from(group.table), profileExprs(cols, plan));
      s.profiles.set(group.table, readProfile(group.table, cols, row, plan.footer));
    } catch {
      // no profile of this table this time
    }
  }
  for (const i of failed) {
    const spec = group.specs[i] as CheckSpec;
    try {
      const r = await q.query(
        `SELECT count(*) AS "__rows", ${scanExprs(spec, i).join(', ')} FROM ${q.from(spec.table)}${whereSql(spec.where)}`,
      );
      s.results.set(spec.id, scanResult(baseResult(spec), spec, i, r.rows[0] ?? {}, s.now));
    } catch (err) {
      setError(s, spec, err);
    }
  }
}

/** Uniqueness: one GROUP BY per key set and filter, shared by every check of the group. */
async function runUnique(s: RunState, q: Queries, group: CheckSpec[]): Promise<void> {
  try {
    const r = (await q.query(uniqueSql(group[0] as CheckSpec, q.from))).rows[0] ?? {};
    for (const spec of group) {
      const element = Number(r.rows ?? 0);
      const unexpected = Number(r.dup_rows ?? 0);
      s.results.set(
        spec.id,
        countResult(baseResult(spec), spec, element, unexpected, Number(r.dup_values ?? 0)),
      );
    }
  } catch (err) {
    for (const spec of group) setError(s, spec, err);
  }
}

/** A relationship (anti-join), a custom SQL check (its failing rows), or a schema check. */
async function runSingle(s: RunState, q: Queries, spec: CheckSpec): Promise<void> {
  const kind = checkDef(spec.type).kind;
  try {
    if (kind === 'relationship') {
      const r = (await q.query(relationshipSql(spec, q.from))).rows[0] ?? {};
      s.results.set(
        spec.id,
        countResult(baseResult(spec), spec, Number(r.n ?? 0), Number(r.u ?? 0)),
      );
    } else if (kind === 'sql') {
      const r =
        (await q.query(`SELECT count(*) AS u FROM (${String(spec.params.query)})`)).rows[0] ?? {};
      const u = Number(r.u ?? 0);
      s.results.set(spec.id, countResult(baseResult(spec), spec, u, u, u));
    } else if (kind === 'schema') {
      // Declared types in DuckDB's own spelling (TIMESTAMPTZ, INT8, numeric(10, 2) …), as
      // the manifest holds them.
      const canonical = async (type: string): Promise<string> =>
        String((await q.duck.query(`SELECT typeof(CAST(NULL AS ${type})) AS t`)).rows[0]?.t);
      const t = s.tables.get(spec.table) as TableAtRef;
      s.results.set(spec.id, await schemaResult(baseResult(spec), spec, t, canonical));
    }
  } catch (err) {
    setError(s, spec, err);
  }
}
