// Idempotency keys (issue 14): a request that moves a branch — an ingest that commits, a load's
// merge — may carry a key. The key is recorded in the same transaction as the move that applies
// the request (BranchMoveStore.moveBranch), so a retried request finds it and answers with the
// first application's commit and result instead of applying again: across processes (of two
// racing, one move records the key and the other finds it), and across a crash (nothing is
// recorded before the move, so no claim is ever left behind to block the key).
import { IdempotencyKeyReusedError, InvalidArgumentError } from '../common/errors.js';
import type { BranchMoveStore, IdempotencyRecord } from '../meta/meta-store.js';
import type { RepoContext } from './context.js';

/** The key a request carries, and what is recorded with it when the request applies. */
export interface IdempotencyClaim {
  key: string;
  /**
   * What the request is, in words (`ingest orders (append) into main`): the key answers only
   * this request, and another one using it is refused (IdempotencyKeyReusedError).
   */
  request: string;
  /** The request's result, recorded with the key (asked of the attempt that lands). */
  result?: () => Record<string, unknown>;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/** A key as given by a caller: 1 to 200 characters, none of them a control character. */
export function parseIdempotencyKey(key: string): string {
  const reason =
    key.length === 0
      ? 'empty'
      : key.length > MAX_IDEMPOTENCY_KEY_LENGTH
        ? `longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`
        : /[\u0000-\u001f\u007f]/.test(key)
          ? 'a control character'
          : undefined;
  if (reason)
    throw new InvalidArgumentError(`invalid idempotency key: ${reason}`, {
      argument: 'idempotency-key',
      reason,
    });
  return key;
}

/**
 * The record of the claim's key when a request applied it already (undefined: not yet). A key
 * recorded for another request is IdempotencyKeyReusedError.
 */
export async function findApplied(
  ctx: RepoContext<BranchMoveStore>,
  claim: Pick<IdempotencyClaim, 'key' | 'request'>,
): Promise<IdempotencyRecord | undefined> {
  const rec = await ctx.meta.getIdempotencyKey(ctx.repo, parseIdempotencyKey(claim.key));
  return rec && sameRequest(rec, claim);
}

/** The record, if it was made for the claim's request; IdempotencyKeyReusedError otherwise. */
export function sameRequest(
  rec: IdempotencyRecord,
  claim: Pick<IdempotencyClaim, 'request'>,
): IdempotencyRecord {
  if (rec.request !== claim.request) {
    throw new IdempotencyKeyReusedError(
      `idempotency key ${JSON.stringify(rec.key)} was used for another request (${rec.request}); this one is ${claim.request}: use a new key`,
      { key: rec.key, request: claim.request, recorded: rec.request },
    );
  }
  return rec;
}

/** What a move records for the claim, once it knows the branch and its new head. */
export function keyRecord(
  claim: IdempotencyClaim,
  branch: string,
  commitId: string,
): IdempotencyRecord {
  return {
    key: claim.key,
    request: claim.request,
    branch,
    commitId,
    createdAt: new Date(),
    data: JSON.stringify(claim.result?.() ?? {}),
  };
}
