// MultipartStore: the state of S3 multipart uploads in progress (issue 16), kept in the metadata
// store so that every server replica sees an upload another started — the upload record (where
// the object will go, who started it, what it will carry) and one record per part (its size,
// MD5 and checksums, and the store key holding its bytes). The bytes themselves live in the
// repository's object store under tmp/uploads/ (core/layout.ts).

export interface MultipartUploadRecord {
  /** Random and url-safe: knowing it is what lets a client add parts. */
  id: string;
  branch: string;
  path: string;
  /** Who created it (the acting user). */
  initiator: string;
  createdAt: Date;
  /** What the completed object's entry carries. */
  contentType?: string;
  metadata: Record<string, string>;
  /** The S3 checksum algorithm the client declared at creation (`crc32`, `sha256` …), if any. */
  checksumAlgorithm?: string;
}

export interface UploadPartRecord {
  /** 1..10000. */
  partNumber: number;
  size: number;
  /** Hex MD5 of the part's bytes: its S3 ETag without quotes. */
  md5: string;
  /** Checksums the writer sent and had verified, by algorithm, base64. */
  checksums: Record<string, string>;
  /** The object-store key holding the part's bytes (a fresh one per upload of the part). */
  key: string;
  createdAt: Date;
}

/** Where a listing of uploads resumes: after this (branch, path) and, when given, this upload. */
export interface UploadListMarker {
  branch: string;
  path: string;
  /** Resume after this upload of the same (branch, path); without it, after every one of them. */
  after?: { createdAt: Date; id: string };
}

/**
 * Invariants: a part record exists only while its upload does (putUploadPart refuses, atomically,
 * once the upload is deleted); a part number has at most one record (a re-upload replaces it);
 * deleting an upload deletes its parts.
 */
export interface MultipartStore {
  /** Stores a new upload. RefAlreadyExistsError (kind `upload`) if the id is taken. */
  createUpload(repo: string, rec: MultipartUploadRecord): Promise<void>;
  getUpload(repo: string, id: string): Promise<MultipartUploadRecord | undefined>;
  /**
   * Uploads ordered by (branch, path, createdAt, id): of one branch, with paths under `prefix`,
   * after `marker`, created before `createdBefore` (GC's stale uploads), at most `limit`.
   */
  listUploads(
    repo: string,
    opts?: {
      branch?: string;
      prefix?: string;
      marker?: UploadListMarker;
      createdBefore?: Date;
      limit?: number;
    },
  ): Promise<MultipartUploadRecord[]>;
  /**
   * Records a part, replacing an earlier record of the same number. Returns the replaced record
   * (its key is the caller's to delete), or `undefined` when there was none; `false` when the
   * upload does not exist (nothing recorded).
   */
  putUploadPart(
    repo: string,
    uploadId: string,
    part: UploadPartRecord,
  ): Promise<UploadPartRecord | undefined | false>;
  /** Parts in part-number order, after `afterPart`, at most `limit`. */
  listUploadParts(
    repo: string,
    uploadId: string,
    opts?: { afterPart?: number; limit?: number },
  ): Promise<UploadPartRecord[]>;
  /** Deletes an upload and its part records; false when it did not exist. */
  deleteUpload(repo: string, id: string): Promise<boolean>;
}
