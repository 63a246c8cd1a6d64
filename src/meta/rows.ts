// Conversions between table rows and MetaStore records (timestamps as milliseconds, JSON as
// text, bytes as plain Uint8Array whatever Buffer the driver returns).
import type { Selectable } from 'kysely';
import type {
  AliasRecord,
  BranchRecord,
  BuildMemoRecord,
  CheckResultRecord,
  CheckRunRecord,
  CommitRecord,
  EventRecord,
  IdempotencyRecord,
  RepositoryRecord,
  SandboxRecord,
  ServerRunLogLine,
  ServerRunRecord,
  ServerRunStatus,
  StagedChange,
  StagedValue,
  TableProfileRecord,
  TagRecord,
} from './meta-store.js';
import type {
  AliasesTable,
  BranchesTable,
  BuildMemoTable,
  CheckResultsTable,
  CheckRunsTable,
  CommitsTable,
  EventsTable,
  IdempotencyKeysTable,
  RepositoriesTable,
  SandboxesTable,
  ServerRunLogsTable,
  ServerRunsTable,
  StagingTable,
  TableProfilesTable,
  TagsTable,
} from './schema.js';

export function toRepository(r: Selectable<RepositoriesTable>): RepositoryRecord {
  return {
    name: r.name,
    storageUri: r.storage_uri,
    defaultBranch: r.default_branch,
    createdAt: new Date(Number(r.created_at)),
  };
}

export function toBranch(r: Selectable<BranchesTable>): BranchRecord {
  return {
    name: r.name,
    head: r.head,
    stagingToken: r.staging_token,
    sealedTokens: JSON.parse(r.sealed_tokens) as string[],
    version: Number(r.version),
    createdAt: new Date(Number(r.created_at)),
  };
}

type StagedExtras = Partial<Pick<StagedValue, 'etag' | 'checksums' | 'external' | 'mtime'>>;

/** The optional fields as one JSON text, or null when none is set. */
function extrasJson(v: StagedValue): string | null {
  if (
    v.etag === undefined &&
    v.checksums === undefined &&
    v.external === undefined &&
    v.mtime === undefined
  )
    return null;
  const x: StagedExtras = {};
  if (v.etag !== undefined) x.etag = v.etag;
  if (v.checksums !== undefined) x.checksums = v.checksums;
  if (v.external !== undefined) x.external = v.external;
  if (v.mtime !== undefined) x.mtime = v.mtime;
  return JSON.stringify(x);
}

export function toStagingRow(repo: string, token: string, c: StagedChange): StagingTable {
  const v = c.value;
  return {
    repo,
    token,
    path: c.path,
    address: v ? v.address : null,
    size: v ? v.size : 0,
    checksum: v ? v.checksum : '',
    content_type: v ? v.contentType : '',
    metadata: v ? JSON.stringify(v.metadata) : '{}',
    physical: v?.physical ?? null,
    extras: v ? extrasJson(v) : null,
  };
}

export function toStaged(r: Selectable<StagingTable>): StagedChange {
  if (r.address === null) return { path: r.path, value: null };
  return {
    path: r.path,
    value: {
      address: r.address,
      size: Number(r.size),
      checksum: r.checksum,
      contentType: r.content_type,
      metadata: JSON.parse(r.metadata) as Record<string, string>,
      ...(r.physical !== null && { physical: r.physical }),
      ...(r.extras !== null && r.extras !== undefined && (JSON.parse(r.extras) as StagedExtras)),
    },
  };
}

export function toCommit(r: Selectable<CommitsTable>): CommitRecord {
  return {
    id: r.id,
    generation: Number(r.generation),
    createdAt: new Date(Number(r.created_at)),
    data: new Uint8Array(r.data),
  };
}

export function toTag(r: Selectable<TagsTable>): TagRecord {
  return { name: r.name, commitId: r.commit_id, createdAt: new Date(Number(r.created_at)) };
}

export function toAlias(r: Selectable<AliasesTable>): AliasRecord {
  return {
    name: r.name,
    target: r.target,
    version: Number(r.version),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

export function toSandbox(r: Selectable<SandboxesTable>): SandboxRecord {
  return {
    name: r.name,
    branch: r.branch,
    createdAt: new Date(Number(r.created_at)),
    expiresAt: r.expires_at === null ? null : new Date(Number(r.expires_at)),
    owner: r.owner,
    fromRef: r.from_ref,
    fromCommit: r.from_commit,
    private: Number(r.private) === 1,
  };
}

export function toCheckRun(r: Selectable<CheckRunsTable>): CheckRunRecord {
  return {
    id: r.id,
    ref: r.ref,
    commitId: r.commit_id,
    createdAt: new Date(Number(r.created_at)),
    status: r.status,
    data: r.data,
  };
}

export function toCheckResult(r: Selectable<CheckResultsTable>): CheckResultRecord {
  return {
    runId: r.run_id,
    checkId: r.check_id,
    table: r.table_name,
    commitId: r.commit_id,
    createdAt: new Date(Number(r.created_at)),
    status: r.status,
    data: r.data,
  };
}

export function toProfile(r: Selectable<TableProfilesTable>): TableProfileRecord {
  return {
    table: r.table_name,
    commitId: r.commit_id,
    createdAt: new Date(Number(r.created_at)),
    data: r.data,
  };
}

export function toMemo(r: Selectable<BuildMemoTable>): BuildMemoRecord {
  return { fingerprint: r.fingerprint, createdAt: new Date(Number(r.created_at)), data: r.data };
}

export function toEvent(r: Selectable<EventsTable>): EventRecord {
  return {
    id: Number(r.id),
    time: new Date(Number(r.occurred_at)),
    type: r.type,
    actor: r.actor,
    outcome: r.outcome,
    refs: JSON.parse(r.refs) as Record<string, string>,
    data: JSON.parse(r.data) as Record<string, unknown>,
  };
}

export function toIdempotencyRecord(r: Selectable<IdempotencyKeysTable>): IdempotencyRecord {
  return {
    key: r.key,
    request: r.request,
    branch: r.branch,
    commitId: r.commit_id,
    createdAt: new Date(Number(r.created_at)),
    data: r.data,
  };
}

export function toServerRun(r: Selectable<ServerRunsTable>): ServerRunRecord {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as ServerRunStatus,
    actor: r.actor,
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
    request: r.request,
    result: r.result,
    error: r.error,
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
  };
}

export function toServerRunLogLine(r: Selectable<ServerRunLogsTable>): ServerRunLogLine {
  return { seq: Number(r.seq), time: new Date(Number(r.time)), line: r.line };
}
