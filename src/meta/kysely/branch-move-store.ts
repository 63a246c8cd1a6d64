// BranchMoveStore over Kysely: a branch's compare-and-swap together with the idempotency key it
// records and the staged rows it commits, in one write transaction (MetaDb.write). The key goes in
// first: of two moves with one key, the second waits on the first's insert (PostgreSQL's unique
// index, SQLite's write lock) and then finds it. The staged rows are compared and dropped after
// the branch row is updated: on PostgreSQL that row lock makes a concurrent stage() (which reads
// the branch FOR SHARE) wait, so no row lands in the current token between compare and delete.
import type { Kysely } from 'kysely';
import type {
  BranchMove,
  BranchMoveResult,
  BranchMoveStore,
  BranchRecord,
  IdempotencyRecord,
  StagedChange,
  StagedValue,
} from '../meta-store.js';
import { toIdempotencyRecord, toStaged } from '../rows.js';
import type { Database } from '../schema.js';
import { IN_CHUNK } from './key-queries.js';
import type { MetaDb } from './meta-db.js';
import { updateBranchRow } from './ref-store.js';

/** Thrown inside the transaction to roll it back with a result. */
class Rollback {
  constructor(readonly result: BranchMoveResult) {}
}

export class KyselyBranchMoveStore implements BranchMoveStore {
  constructor(private readonly m: MetaDb) {}

  async moveBranch(
    repo: string,
    name: string,
    expectedVersion: number,
    move: BranchMove,
  ): Promise<BranchMoveResult> {
    try {
      return await this.m.write(async (db) => {
        if (move.idempotency) {
          const taken = await recordKey(db, repo, move.idempotency);
          if (taken) throw new Rollback({ taken });
        }
        const moved = await updateBranchRow(db, repo, name, expectedVersion, move.patch);
        if (!moved) throw new Rollback({});
        if (move.committed?.length) await dropCommitted(db, repo, moved, move.committed);
        return { moved };
      });
    } catch (err) {
      if (err instanceof Rollback) return err.result;
      throw err;
    }
  }

  async getIdempotencyKey(repo: string, key: string): Promise<IdempotencyRecord | undefined> {
    const row = await this.m.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('repo', '=', repo)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toIdempotencyRecord(row);
  }
}

/** Inserts the key; returns the record already there instead, if it was taken. */
async function recordKey(
  db: Kysely<Database>,
  repo: string,
  rec: IdempotencyRecord,
): Promise<IdempotencyRecord | undefined> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      repo,
      key: rec.key,
      request: rec.request,
      branch: rec.branch,
      commit_id: rec.commitId,
      created_at: rec.createdAt.getTime(),
      data: rec.data,
    })
    .onConflict((oc) => oc.columns(['repo', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return undefined;
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('repo', '=', repo)
    .where('key', '=', rec.key)
    .executeTakeFirst();
  // Gone again (its repository deleted meanwhile): report a stale move, to be tried again.
  if (!row) throw new Rollback({});
  return toIdempotencyRecord(row);
}

/**
 * Drops the staged rows a commit consumed: every row of its paths in the sealed tokens (no write
 * lands there any more), and the current token's row where it still holds the committed value.
 */
async function dropCommitted(
  db: Kysely<Database>,
  repo: string,
  branch: BranchRecord,
  committed: StagedChange[],
): Promise<void> {
  const byPath = new Map(committed.map((c) => [c.path, c.value]));
  const paths = [...byPath.keys()];
  for (let i = 0; i < paths.length; i += IN_CHUNK) {
    const chunk = paths.slice(i, i + IN_CHUNK);
    if (branch.sealedTokens.length > 0) {
      await db
        .deleteFrom('staging')
        .where('repo', '=', repo)
        .where('token', 'in', branch.sealedTokens)
        .where('path', 'in', chunk)
        .execute();
    }
    const current = await db
      .selectFrom('staging')
      .selectAll()
      .where('repo', '=', repo)
      .where('token', '=', branch.stagingToken)
      .where('path', 'in', chunk)
      .execute();
    const same = current
      .map(toStaged)
      .filter((c) => sameStagedValue(c.value, byPath.get(c.path) ?? null))
      .map((c) => c.path);
    if (same.length > 0) {
      await db
        .deleteFrom('staging')
        .where('repo', '=', repo)
        .where('token', '=', branch.stagingToken)
        .where('path', 'in', same)
        .execute();
    }
  }
}

function sameStagedValue(a: StagedValue | null, b: StagedValue | null): boolean {
  if (!a || !b) return !a && !b;
  const ka = Object.keys(a.metadata);
  return (
    a.address === b.address &&
    a.size === b.size &&
    a.checksum === b.checksum &&
    a.contentType === b.contentType &&
    (a.physical ?? null) === (b.physical ?? null) &&
    (a.etag ?? null) === (b.etag ?? null) &&
    (a.external?.uri ?? null) === (b.external?.uri ?? null) &&
    ka.length === Object.keys(b.metadata).length &&
    ka.every((k) => a.metadata[k] === b.metadata[k])
  );
}
