// The ingest's last phases: the manifest (written only when it changed), the new files stored
// and staged together with the deletions in one transaction, then the optional commit.
import { createReadStream, statSync } from 'node:fs';
import { newRunId } from '../../common/run-id.js';
import type { IdempotencyClaim } from '../../core/repository.js';
import {
  encodeManifest,
  manifestPath,
  ROWS_METADATA,
  type TableManifest,
  tablePrefix,
} from '../../engine/tables.js';
import type { IngestResult } from './options.js';
import { replayedIngest } from './request-key.js';
import type { IngestState } from './state.js';
import { PARQUET_TYPE } from './table-files.js';

/** What the write stages: the files it adds (local copies), and whether it changes anything. */
export interface Staged {
  added: { path: string; local: string; rows: number }[];
  changes: boolean;
  /** The manifest was staged (it changed). */
  manifest: boolean;
}

/** Stores the new files and the manifest, staging them with the removals, all at once. */
export async function storeAndStage(s: IngestState): Promise<Staged> {
  const { table, opts, remove } = s;
  const runId = newRunId();
  const added = s.outputs.map((o, i) => ({
    path: `${tablePrefix(table)}${o.dir ? `${o.dir}/` : ''}part-${runId}-${String(i).padStart(5, '0')}.parquet`,
    local: o.path,
    rows: o.rows,
  }));
  const manifestBytes = encodeManifest(manifestOf(s));
  const manifestChanged =
    !s.existing ||
    Buffer.compare(Buffer.from(manifestBytes), Buffer.from(encodeManifest(s.existing.manifest))) !==
      0;
  // An ingest that changes nothing (no rows in, none replaced, same columns) stages nothing
  // and makes no commit.
  const changes = added.length > 0 || remove.length > 0 || manifestChanged;
  opts.onProgress?.({ phase: 'store', done: 0, total: added.length });
  let stored = 0;
  if (changes)
    await s.repo.putObjects(
      s.branch,
      [
        ...added.map((a) => ({
          path: a.path,
          body: { size: statSync(a.local).size, open: () => createReadStream(a.local) },
          contentType: PARQUET_TYPE,
          metadata: { [ROWS_METADATA]: String(a.rows) },
        })),
        ...(manifestChanged
          ? [{ path: manifestPath(table), body: manifestBytes, contentType: 'application/json' }]
          : []),
      ],
      {
        remove,
        onProgress: () =>
          opts.onProgress?.({
            phase: 'store',
            done: Math.min(++stored, added.length),
            total: added.length,
          }),
      },
    );
  return { added, changes, manifest: changes && manifestChanged };
}

/** The result of the ingest, committed when asked to and when it changed anything. */
export async function commitIngest(
  s: IngestState,
  staged: Staged,
  request?: Pick<IdempotencyClaim, 'key' | 'request'>,
): Promise<IngestResult> {
  const { table, mode, key, partitionBy, opts } = s;
  const result: IngestResult = {
    table,
    branch: s.branch,
    mode,
    inputs: s.inputs,
    rowsWritten: s.rowsWritten,
    rowsRewritten: s.outputs.reduce((n, o) => n + o.rows, 0) - s.rowsWritten,
    rowsReplaced: s.rowsReplaced,
    filesAdded: staged.added.map((a) => a.path),
    filesRemoved: s.remove,
    columns: s.columns,
    ...(key?.length ? { primaryKey: key } : {}),
    ...(partitionBy.length ? { partitionBy } : {}),
    schemaChanges: s.schemaChanges,
    created: !s.existing,
  };
  if (opts.commit && staged.changes) {
    opts.onProgress?.({ phase: 'commit', done: 0, total: 1 });
    // Only this ingest's own paths: what other writers stage on the branch meanwhile stays
    // theirs to commit, under their own messages.
    const commit = {
      paths: [...result.filesAdded, ...(staged.manifest ? [manifestPath(table)] : []), ...s.remove],
      message: opts.commit.message,
      metadata: {
        'sluice.ingest.table': table,
        'sluice.ingest.mode': mode,
        ...opts.commit.metadata,
      },
    };
    if (!request) {
      result.commit = await s.repo.commit(s.branch, commit);
      return result;
    }
    const done = await s.repo.commitRequest(s.branch, {
      ...commit,
      idempotency: { ...request, result: () => ({ ...result }) },
    });
    if (done.replayed) return replayedIngest(s.repo, done.replayed);
    result.commit = done.commit;
  }
  return result;
}

/** The table's manifest after the write. */
function manifestOf(s: IngestState): TableManifest {
  return {
    format: 'sluice.table/v1',
    name: s.table,
    columns: s.columns,
    ...(s.key?.length ? { primaryKey: s.key } : {}),
    ...(s.partitionBy.length ? { partitionBy: s.partitionBy } : {}),
  };
}
