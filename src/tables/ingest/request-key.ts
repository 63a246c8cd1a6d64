// An ingest as an idempotent request (issue 14): what the request is, in words the key is bound
// to (table, mode, branch and a digest of the inputs' names and sizes, so a retry of the same
// files matches and another ingest under the key is refused), and the answer to a retry — the
// first ingest's result, read back from the key's record, with the commit it made.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError } from '../../common/errors.js';
import type { IdempotencyClaim, IdempotencyRecord, Repository } from '../../core/repository.js';
import type { IngestOptions, IngestResult } from './options.js';
import type { IngestTarget } from './state.js';

/** The request an idempotency key answers for this ingest (undefined: no key given). */
export function ingestRequest(
  target: IngestTarget,
  opts: IngestOptions,
): Pick<IdempotencyClaim, 'key' | 'request'> | undefined {
  if (opts.idempotencyKey === undefined) return undefined;
  if (!opts.commit) {
    throw new InvalidArgumentError(
      'an idempotency key applies to a commit: commit the ingest too',
      {
        argument: 'idempotencyKey',
        reason: 'no commit',
      },
    );
  }
  const digest = createHash('sha256');
  for (const f of target.files) digest.update(`${basename(f)}\0${statSync(f).size}\0`);
  return {
    key: opts.idempotencyKey,
    request: `ingest ${target.table} (${target.mode}) on ${target.branch}: ${target.files.length} input(s) ${digest.digest('hex').slice(0, 16)}`,
  };
}

/** The first ingest's result, answering a retry of it (nothing staged, nothing committed). */
export async function replayedIngest(
  repo: Repository,
  rec: IdempotencyRecord,
): Promise<IngestResult> {
  const first = JSON.parse(rec.data) as IngestResult;
  return { ...first, commit: await repo.getCommit(rec.commitId), replayed: true };
}
