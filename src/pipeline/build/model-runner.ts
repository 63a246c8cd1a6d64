// The model runner: one model built on the run branch in named steps — rendered for this run
// (`is_incremental()` is only known now), fingerprinted, reused when an earlier build produced
// the same fingerprint, else described (and its contract checked) before anything is written,
// then materialized (`view`: a stored definition; `table` / `incremental`: the query's result,
// overwritten, appended or merged on `unique_key`) and remembered.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { errorLine } from '../../common/error-line.js';
import { sqlString } from '../../engine/duckdb.js';
import {
  type Column,
  checkTableNameFree,
  encodeManifest,
  manifestPath,
  type TableAtRef,
} from '../../engine/tables.js';
import { ingest, TABLE_FILES_COPY_OPTIONS } from '../../tables/ingest.js';
import type { CompiledModel } from '../graph.js';
import { modelError, relationName, renderModel } from '../render.js';
import type { GraphNode } from '../types.js';
import type { Built, Execution } from './context.js';
import { checkContract } from './contract.js';
import { modelFingerprint } from './fingerprint.js';
import { bytesOf, rememberWritten, reuseMemo } from './memo.js';
import { finalSql } from './model-sql.js';

/** Builds one model; a failure is an `error` result naming the model's file, not a throw. */
export async function buildModel(x: Execution, m: CompiledModel, node: GraphNode): Promise<Built> {
  const base = {
    uniqueId: node.uniqueId,
    kind: 'model' as const,
    name: node.name,
    relation: m.table,
  };
  try {
    const current = await x.tables.at(m.table);
    const incremental =
      m.config.materialized === 'incremental' &&
      current !== undefined &&
      !current.manifest.view &&
      !x.opts.fullRefresh;
    const sql = finalSql(x.compiled, m, incremental ? incrementalBody(x, m) : m.sql);
    const fingerprint = await modelFingerprint(x.compiled, m, sql, {
      tables: x.tables,
      duck: x.session.duck,
      ...(incremental ? { appendsTo: current } : {}),
    });
    if (!x.opts.fullRefresh) {
      const reused = await reuseMemo(x, m.table, fingerprint, current);
      if (reused) {
        const { memo, t } = reused;
        return {
          ...base,
          status: 'reused',
          ...(memo.rows !== undefined ? { rows: memo.rows } : {}),
          columns: memo.columns,
          bytes: bytesOf(t),
          fingerprint,
          message: 'reused: same SQL, config and inputs as an earlier build',
        };
      }
    }
    const columns = await describeQuery(x, m, sql);
    const rows =
      m.config.materialized === 'view'
        ? await writeView(x, m, sql, columns, current)
        : await writeTable(x, m, sql, incremental);
    const t = await rememberWritten(x, m.table, fingerprint, rows);
    return {
      ...base,
      status: 'success',
      ...(rows !== undefined ? { rows } : {}),
      columns: t.manifest.columns,
      bytes: bytesOf(t),
      fingerprint,
      ...(incremental
        ? {
            message: `incremental: ${m.config.uniqueKey ? `merged on ${m.config.uniqueKey.join(', ')}` : 'appended'}`,
          }
        : {}),
    };
  } catch (err) {
    return {
      ...base,
      status: 'error',
      message: errorLine(err).startsWith(m.file.path)
        ? errorLine(err)
        : `${m.file.path}: ${errorLine(err)}`,
    };
  }
}

/** The model rendered for an incremental run on an existing table: `is_incremental()` true. */
function incrementalBody(x: Execution, m: CompiledModel): string {
  return renderModel(x.compiled.project, m.file, {
    relation: x.compiled.relation,
    isIncremental: true,
    self: relationName(m.table),
    target: {
      name: x.opts.branch ?? x.repo.defaultBranch,
      schema: 'main',
      type: 'duckdb',
      threads: x.opts.threads ?? 1,
    },
    runStartedAt: new Date(),
  }).sql;
}

/** The query's columns (and whether it binds at all), its contract checked: before any write. */
async function describeQuery(x: Execution, m: CompiledModel, sql: string): Promise<Column[]> {
  let columns: Column[];
  try {
    columns = await x.session.duck.describe(`SELECT * FROM (${sql}) AS q`);
  } catch (err) {
    throw modelError(m.file, `SQL: ${errorLine(err)}`);
  }
  if (m.config.contractEnforced) await checkContract(x.compiled, m, columns, x.session);
  return columns;
}

/** A `view` model: a manifest holding the query, no files (any earlier files removed). */
async function writeView(
  x: Execution,
  m: CompiledModel,
  sql: string,
  columns: Column[],
  current: TableAtRef | undefined,
): Promise<undefined> {
  await checkTableNameFree(x.repo, x.runBranch, m.table);
  const manifest = encodeManifest({
    format: 'sluice.table/v1',
    name: m.table,
    columns,
    view: { sql },
  });
  const old = current ? current.files.map((f) => f.path) : [];
  await x.repo.putObjects(
    x.runBranch,
    [{ path: manifestPath(m.table), body: manifest, contentType: 'application/json' }],
    { remove: old },
  );
  return undefined;
}

/** A `table` or `incremental` model: the query's result written and ingested; the rows written. */
async function writeTable(
  x: Execution,
  m: CompiledModel,
  sql: string,
  incremental: boolean,
): Promise<number> {
  // Written once, in the table's own layout, so the ingest stores these files as they are.
  const out = join(x.work, `${m.file.name}-${randomBytes(4).toString('hex')}`);
  try {
    await x.session.duck.run(`COPY (${sql}) TO ${sqlString(out)} (${TABLE_FILES_COPY_OPTIONS})`);
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    throw modelError(m.file, `SQL: ${errorLine(err)}`);
  }
  const key = m.config.uniqueKey;
  try {
    const res = await ingest(x.repo, out, {
      table: m.table,
      branch: x.runBranch,
      format: 'parquet',
      mode: incremental ? (key ? 'upsert' : 'append') : 'overwrite',
      ...(incremental && key ? { key } : {}),
      session: x.session.duck,
      preformatted: true,
    });
    return res.rowsWritten;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
