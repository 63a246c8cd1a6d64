// Ingest: files in (CSV, JSON, NDJSON, Parquet; a file, a directory or a glob), converted by
// DuckDB into Parquet in a temp dir, then stored and staged in one transaction with the manifest
// and the deletions an overwrite or upsert makes — all or nothing.
//
// `ingest` runs named phases over one state (ingest/state.ts), each in its own file:
//   validate (validate.ts: options, table, mode, key, partitions — before anything is read)
//   → describe the inputs (read-inputs.ts, input-fit.ts) → plan the columns (columns.ts)
//   → convert every input (read-inputs.ts; preformatted.ts: Parquet stored as it is)
//   → check keys (key-checks.ts) → plan what is replaced (replace-plan.ts: overwrite, upsert)
//   → store and stage (stage.ts: files, manifest, deletions at once) → commit (optional).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repository } from '../core/repository.js';
import { duckOptionsFor } from '../engine/duck-options.js';
import { type DuckSession, withDuck } from '../engine/duckdb.js';
import { canonicalSchema, keepKnownColumns, planColumns } from './ingest/columns.js';
import { checkKeys } from './ingest/key-checks.js';
import type { IngestOptions, IngestResult } from './ingest/options.js';
import { convertInputs, describeInputs } from './ingest/read-inputs.js';
import { planReplacement } from './ingest/replace-plan.js';
import { ingestRequest, replayedIngest } from './ingest/request-key.js';
import { commitIngest, storeAndStage } from './ingest/stage.js';
import { newIngestState } from './ingest/state.js';
import { validateIngest } from './ingest/validate.js';

export {
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  WRITE_MODES,
  type WriteMode,
} from './ingest/options.js';
export { TABLE_FILES_COPY_OPTIONS } from './ingest/table-files.js';

export async function ingest(
  repo: Repository,
  src: string | string[],
  opts: IngestOptions,
): Promise<IngestResult> {
  const target = await validateIngest(repo, src, opts);
  // A request applied already answers with its first result, before anything is read or staged.
  const request = ingestRequest(target, opts);
  const applied = request && (await repo.appliedRequest(request));
  if (applied) return replayedIngest(repo, applied);
  const duck = duckOptionsFor(repo, opts.duck);
  const tmp = mkdtempSync(join(duck.tempDir ?? tmpdir(), 'sluice-ingest-'));
  try {
    return await inSession({ ...opts, duck }, tmp, async (session) => {
      const s = newIngestState(repo, opts, target, session, tmp);
      await canonicalSchema(s);
      await describeInputs(s);
      planColumns(s);
      // Nothing is stored until every input has been read.
      await convertInputs(s);
      keepKnownColumns(s);
      await checkKeys(s);
      await planReplacement(s);
      const staged = await storeAndStage(s);
      return await commitIngest(s, staged, request);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs `fn` in the caller's session, or in its own instance spilling into the temp dir. */
function inSession<T>(
  opts: IngestOptions,
  tmp: string,
  fn: (duck: DuckSession) => Promise<T>,
): Promise<T> {
  return opts.session
    ? fn(opts.session)
    : withDuck({ ...opts.duck, tempDir: opts.duck?.tempDir ?? join(tmp, 'spill') }, fn);
}
