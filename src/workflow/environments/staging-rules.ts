// Staging rules (see docs/workflows.md):
// - Sampling keeps a row when the first 12 hex digits of md5('<seed>:' || json_array(<key>)) are
//   below fraction·16¹²; <key> is the table's primary key when its manifest has one, else every
//   column. Same seed and same rows → same sample, on any machine; another seed → other rows.
// - Masking `hash`: sha256('<column>:' || CAST(value AS VARCHAR)) as 64 hex digits (VARCHAR;
//   NULL stays NULL) — stable, so joins on a hashed column still match across tables.
//   `redact`: NULL, the column keeps its type. A redacted primary-key column is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmptyCommitError, InvalidConfigError } from '../../common/errors.js';
import type { Repository } from '../../core/repository.js';
import { sqlIdent, sqlString } from '../../engine/duckdb.js';
import { withSqlSession } from '../../engine/session.js';
import { type Column, fileRows, listTables, type TableAtRef } from '../../engine/tables.js';
import { ingest } from '../../tables/ingest.js';
import { findColumn } from '../../tables/schema.js';
import type { MaskRule, StagingEnvironment } from '../config/index.js';

export interface SampledTable {
  table: string;
  rowsBefore: number;
  rowsAfter: number;
}

export interface StagingRulesResult {
  sampled: SampledTable[];
  /** The mask rules applied (those whose table exists). */
  masked: MaskRule[];
  /** The commit made on the branch (absent when the rules changed nothing). */
  commit?: string;
}

/** 12 hex digits: the sampling threshold for `fraction` (compared as equal-length strings). */
export function sampleThreshold(fraction: number): string {
  return Math.floor(fraction * 16 ** 12)
    .toString(16)
    .padStart(12, '0');
}

/** The SQL predicate keeping a row of `t` in the sample (see the top of this file). */
export function sampleCondition(t: TableAtRef, fraction: number, seed: number): string {
  const key = t.manifest.primaryKey?.length
    ? t.manifest.primaryKey
    : t.manifest.columns.map((c) => c.name);
  const digest = `md5(${sqlString(`${seed}:`)} || CAST(json_array(${key.map(sqlIdent).join(', ')}) AS VARCHAR))`;
  return `substr(${digest}, 1, 12) < ${sqlString(sampleThreshold(fraction))}`;
}

/** The SQL expression a masked column is written as. */
export function maskExpression(column: Column, method: MaskRule['method']): string {
  const id = sqlIdent(column.name);
  return method === 'hash'
    ? `sha256(${sqlString(`${column.name}:`)} || CAST(${id} AS VARCHAR))`
    : `CAST(NULL AS ${column.type})`;
}

/**
 * Applies the staging rules to the tables of `branch` and commits them there (never anywhere
 * else): each sampled or masked table is rewritten whole — read at the branch's head, written
 * by DuckDB to Parquet, ingested back with mode overwrite (manifest key and partitioning kept).
 * Phases: planRules → writeRewrites → ingestRewrites → commitRules.
 */
export async function applyStagingRules(
  repo: Repository,
  branch: string,
  st: Pick<StagingEnvironment, 'sample' | 'mask'>,
  opts: { message?: string; metadata?: Record<string, string> } = {},
): Promise<StagingRulesResult> {
  const sample = st.sample && st.sample.fraction < 1 ? st.sample : undefined;
  const { plans, masked } = planRules(await listTables(repo, branch), st.mask, sample);
  if (plans.length === 0) return { sampled: [], masked };
  const work = mkdtempSync(join(tmpdir(), 'sluice-staging-'));
  try {
    const outputs = await writeRewrites(repo, branch, plans, sample, work);
    const sampled = await ingestRewrites(repo, branch, outputs);
    const commit = await commitRules(repo, branch, sample, sampled, masked, opts);
    return { sampled, masked, ...(commit ? { commit } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

type Sample = NonNullable<StagingEnvironment['sample']>;

/** One table to rewrite: sampled, and/or with masked columns. */
interface Plan {
  t: TableAtRef;
  sample: boolean;
  masks: { column: Column; method: MaskRule['method'] }[];
}

/** A rewritten table, as Parquet in the work folder, with its (masked) columns' types. */
interface Rewrite {
  plan: Plan;
  file: string;
  columns: Column[];
}

/**
 * The tables to rewrite, by name, and the mask rules that apply. A masked column that is gone,
 * or a redacted primary-key column, is an InvalidConfigError before anything is written.
 */
function planRules(
  tables: Map<string, TableAtRef>,
  rules: readonly MaskRule[],
  sample: Sample | undefined,
): { plans: Plan[]; masked: MaskRule[] } {
  const plans: Plan[] = [];
  const masked: MaskRule[] = [];
  for (const t of [...tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (t.manifest.view) continue; // a stored view reads the (sampled, masked) tables
    const masks: Plan['masks'] = [];
    for (const m of rules.filter((r) => r.table === t.name)) {
      const where = `environments.staging.mask.${m.table}.${m.column}`;
      const column = findColumn(t.manifest.columns, m.column);
      // A masked column that is gone (renamed?) must not let its data through unmasked.
      if (!column)
        throw new InvalidConfigError(
          `sluice.yml: ${where}: table ${t.name} has no column ${m.column} (columns: ${t.manifest.columns.map((c) => c.name).join(', ')})`,
          { file: 'sluice.yml', field: where, reason: 'unknown column' },
        );
      if (
        m.method === 'redact' &&
        t.manifest.primaryKey?.some((k) => k.toLowerCase() === column.name.toLowerCase())
      )
        throw new InvalidConfigError(
          `sluice.yml: ${where}: ${column.name} is part of ${t.name}'s primary key: redacting it would break the key (use hash)`,
          { file: 'sluice.yml', field: where, reason: 'redacted key column' },
        );
      masks.push({ column, method: m.method });
      masked.push({ table: t.name, column: column.name, method: m.method });
    }
    const sampled = sample !== undefined && (!sample.tables || sample.tables.includes(t.name));
    if (sampled || masks.length > 0) plans.push({ t, sample: sampled, masks });
  }
  return { plans, masked };
}

/** Each planned table, sampled and masked by DuckDB, as Parquet in `work`. */
async function writeRewrites(
  repo: Repository,
  branch: string,
  plans: readonly Plan[],
  sample: Sample | undefined,
  work: string,
): Promise<Rewrite[]> {
  const outputs: Rewrite[] = [];
  await withSqlSession(repo, { refs: [branch] }, async (s) => {
    for (const [i, plan] of plans.entries()) {
      const { t } = plan;
      const columns = t.manifest.columns.map((c) => {
        const m = plan.masks.find((x) => x.column.name === c.name);
        return m?.method === 'hash' ? { name: c.name, type: 'VARCHAR' } : c;
      });
      const projection = t.manifest.columns.map((c) => {
        const m = plan.masks.find((x) => x.column.name === c.name);
        return m ? `${maskExpression(c, m.method)} AS ${sqlIdent(c.name)}` : `${sqlIdent(c.name)}`;
      });
      const where =
        plan.sample && sample ? ` WHERE ${sampleCondition(t, sample.fraction, sample.seed)}` : '';
      const file = join(work, `${i}.parquet`);
      await s.duck.run(
        `COPY (SELECT ${projection.join(', ')} FROM ${sqlIdent(t.name)}${where}) TO ${sqlString(file)} (FORMAT parquet)`,
      );
      outputs.push({ plan, file, columns });
    }
  });
  return outputs;
}

/** The rewrites ingested over their tables on `branch`; the sampled ones' row counts. */
async function ingestRewrites(
  repo: Repository,
  branch: string,
  outputs: readonly Rewrite[],
): Promise<SampledTable[]> {
  const sampled: SampledTable[] = [];
  for (const { plan, file, columns } of outputs) {
    const { t } = plan;
    const res = await ingest(repo, file, {
      table: t.name,
      branch,
      mode: 'overwrite',
      schema: columns,
      ...(t.manifest.primaryKey?.length ? { key: t.manifest.primaryKey } : {}),
      ...(t.manifest.partitionBy?.length ? { partitionBy: t.manifest.partitionBy } : {}),
    });
    if (plan.sample)
      sampled.push({
        table: t.name,
        rowsBefore: t.files.reduce((n, f) => n + (fileRows(f) ?? 0), 0),
        rowsAfter: res.rowsWritten,
      });
  }
  return sampled;
}

/** The rules' commit on `branch`, its metadata naming them (undefined: they changed nothing). */
async function commitRules(
  repo: Repository,
  branch: string,
  sample: Sample | undefined,
  sampled: readonly SampledTable[],
  masked: readonly MaskRule[],
  opts: { message?: string; metadata?: Record<string, string> },
): Promise<string | undefined> {
  const describe = [
    ...(sample && sampled.length > 0
      ? [`sample ${sample.fraction} (seed ${sample.seed}) of ${sampled.length} table(s)`]
      : []),
    ...(masked.length > 0 ? [`mask ${masked.length} column(s)`] : []),
  ].join(', ');
  try {
    const commit = await repo.commit(branch, {
      message: opts.message ?? `staging rules: ${describe}`,
      metadata: {
        ...opts.metadata,
        ...(sample ? { 'sluice.sample': `${sample.fraction}:${sample.seed}` } : {}),
        ...(masked.length > 0
          ? { 'sluice.mask': masked.map((m) => `${m.table}.${m.column}:${m.method}`).join(',') }
          : {}),
      },
    });
    return commit.id;
  } catch (err) {
    if (!(err instanceof EmptyCommitError)) throw err;
    return undefined;
  }
}
