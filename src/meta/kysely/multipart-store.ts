// MultipartStore over Kysely: (repo, id) → an upload; (repo, upload id, part number) → its part.
// A part is recorded inside a write transaction that first reads the upload's row (FOR SHARE on
// PostgreSQL, the write lock on SQLite), so a part can never be recorded for an upload that a
// concurrent complete or abort has just deleted; that delete takes the row FOR UPDATE.
import type { Kysely, Selectable } from 'kysely';
import { RefAlreadyExistsError } from '../../common/errors.js';
import { prefixUpperBound } from '../../common/keys.js';
import type {
  MultipartStore,
  MultipartUploadRecord,
  UploadListMarker,
  UploadPartRecord,
} from '../multipart-store.js';
import type { Database, MultipartPartsTable, MultipartUploadsTable } from '../schema.js';
import type { MetaDb } from './meta-db.js';

function toUpload(r: Selectable<MultipartUploadsTable>): MultipartUploadRecord {
  return {
    id: r.id,
    branch: r.branch,
    path: r.path,
    initiator: r.initiator,
    createdAt: new Date(Number(r.created_at)),
    ...(r.content_type !== null && { contentType: r.content_type }),
    metadata: JSON.parse(r.metadata) as Record<string, string>,
    ...(r.checksum_algorithm !== null && { checksumAlgorithm: r.checksum_algorithm }),
  };
}

function toPart(r: Selectable<MultipartPartsTable>): UploadPartRecord {
  return {
    partNumber: Number(r.part_number),
    size: Number(r.size),
    md5: r.md5,
    checksums: JSON.parse(r.checksums) as Record<string, string>,
    key: r.key,
    createdAt: new Date(Number(r.created_at)),
  };
}

export class KyselyMultipartStore implements MultipartStore {
  constructor(private readonly m: MetaDb) {}

  async createUpload(repo: string, rec: MultipartUploadRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('multipart_uploads')
      .values({
        repo,
        id: rec.id,
        branch: rec.branch,
        path: rec.path,
        initiator: rec.initiator,
        created_at: rec.createdAt.getTime(),
        content_type: rec.contentType ?? null,
        metadata: JSON.stringify(rec.metadata),
        checksum_algorithm: rec.checksumAlgorithm ?? null,
      })
      .onConflict((oc) => oc.columns(['repo', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row)
      throw new RefAlreadyExistsError(`upload ${rec.id} already exists`, {
        name: rec.id,
        kind: 'upload',
      });
  }

  async getUpload(repo: string, id: string): Promise<MultipartUploadRecord | undefined> {
    const row = await this.m.db
      .selectFrom('multipart_uploads')
      .selectAll()
      .where('repo', '=', repo)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toUpload(row);
  }

  async listUploads(
    repo: string,
    opts: {
      branch?: string;
      prefix?: string;
      marker?: UploadListMarker;
      createdBefore?: Date;
      limit?: number;
    } = {},
  ): Promise<MultipartUploadRecord[]> {
    const { branch, prefix, marker, createdBefore, limit } = opts;
    const rows = await this.m.db
      .selectFrom('multipart_uploads')
      .selectAll()
      .where('repo', '=', repo)
      .$if(branch !== undefined, (q) => q.where('branch', '=', branch as string))
      .$if(!!prefix, (q) => {
        const upper = prefixUpperBound(prefix as string);
        const from = q.where('path', '>=', prefix as string);
        return upper === undefined ? from : from.where('path', '<', upper);
      })
      .$if(createdBefore !== undefined, (q) =>
        q.where('created_at', '<', (createdBefore as Date).getTime()),
      )
      .$if(marker !== undefined, (q) =>
        q.where((eb) => {
          const m = marker as UploadListMarker;
          const afterKey = eb.or([
            eb('branch', '>', m.branch),
            eb.and([eb('branch', '=', m.branch), eb('path', '>', m.path)]),
          ]);
          if (!m.after) return afterKey;
          const t = m.after.createdAt.getTime();
          return eb.or([
            afterKey,
            eb.and([
              eb('branch', '=', m.branch),
              eb('path', '=', m.path),
              eb.or([
                eb('created_at', '>', t),
                eb.and([eb('created_at', '=', t), eb('id', '>', m.after.id)]),
              ]),
            ]),
          ]);
        }),
      )
      .orderBy('branch')
      .orderBy('path')
      .orderBy('created_at')
      .orderBy('id')
      .$if(limit !== undefined, (q) => q.limit(limit as number))
      .execute();
    return rows.map(toUpload);
  }

  async putUploadPart(
    repo: string,
    uploadId: string,
    part: UploadPartRecord,
  ): Promise<UploadPartRecord | undefined | false> {
    return this.m.write(async (db) => {
      if (!(await this.lockUpload(db, repo, uploadId, 'share'))) return false;
      const previous = await db
        .selectFrom('multipart_parts')
        .selectAll()
        .where('repo', '=', repo)
        .where('upload_id', '=', uploadId)
        .where('part_number', '=', part.partNumber)
        .$if(this.m.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      const row = {
        repo,
        upload_id: uploadId,
        part_number: part.partNumber,
        size: part.size,
        md5: part.md5,
        checksums: JSON.stringify(part.checksums),
        key: part.key,
        created_at: part.createdAt.getTime(),
      };
      await db
        .insertInto('multipart_parts')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['repo', 'upload_id', 'part_number']).doUpdateSet({
            size: row.size,
            md5: row.md5,
            checksums: row.checksums,
            key: row.key,
            created_at: row.created_at,
          }),
        )
        .execute();
      return previous && toPart(previous);
    });
  }

  async listUploadParts(
    repo: string,
    uploadId: string,
    opts: { afterPart?: number; limit?: number } = {},
  ): Promise<UploadPartRecord[]> {
    const rows = await this.m.db
      .selectFrom('multipart_parts')
      .selectAll()
      .where('repo', '=', repo)
      .where('upload_id', '=', uploadId)
      .where('part_number', '>', opts.afterPart ?? 0)
      .orderBy('part_number')
      .$if(opts.limit !== undefined, (q) => q.limit(opts.limit as number))
      .execute();
    return rows.map(toPart);
  }

  async deleteUpload(repo: string, id: string): Promise<boolean> {
    return this.m.write(async (db) => {
      if (!(await this.lockUpload(db, repo, id, 'update'))) return false;
      await db
        .deleteFrom('multipart_parts')
        .where('repo', '=', repo)
        .where('upload_id', '=', id)
        .execute();
      await db
        .deleteFrom('multipart_uploads')
        .where('repo', '=', repo)
        .where('id', '=', id)
        .execute();
      return true;
    });
  }

  /** Reads the upload's row with a row lock on PostgreSQL (SQLite's write lock covers it). */
  private async lockUpload(
    db: Kysely<Database>,
    repo: string,
    id: string,
    mode: 'share' | 'update',
  ): Promise<boolean> {
    const pg = this.m.dialect === 'postgres';
    const row = await db
      .selectFrom('multipart_uploads')
      .select('id')
      .where('repo', '=', repo)
      .where('id', '=', id)
      .$if(pg && mode === 'share', (q) => q.forShare())
      .$if(pg && mode === 'update', (q) => q.forUpdate())
      .executeTakeFirst();
    return row !== undefined;
  }
}
