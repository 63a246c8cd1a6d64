// Kysely table types of the MetaStore. Column shapes are the same in both dialects: timestamps
// are integer milliseconds (PostgreSQL bigints are parsed to numbers), JSON is stored as text.

export interface RepositoriesTable {
  name: string;
  storage_uri: string;
  default_branch: string;
  created_at: number;
}

export interface BranchesTable {
  repo: string;
  name: string;
  head: string;
  staging_token: string;
  /** JSON array of tokens, newest first. */
  sealed_tokens: string;
  version: number;
  created_at: number;
}

export interface StagingTable {
  repo: string;
  token: string;
  path: string;
  /** Null marks a tombstone. */
  address: string | null;
  size: number;
  checksum: string;
  content_type: string;
  /** JSON object of string → string. */
  metadata: string;
  /** Where the bytes are when not under the address's own key; null when they are. */
  physical: string | null;
  /** JSON of the entry's optional fields (ETag, checksums, external location); null when none. */
  extras: string | null;
}

export interface CommitsTable {
  repo: string;
  id: string;
  generation: number;
  created_at: number;
  data: Uint8Array;
}

export interface TagsTable {
  repo: string;
  name: string;
  commit_id: string;
  created_at: number;
}

export interface AliasesTable {
  repo: string;
  name: string;
  target: string;
  version: number;
  updated_at: number;
}

export interface CheckRunsTable {
  repo: string;
  id: string;
  ref: string;
  commit_id: string;
  created_at: number;
  status: string;
  /** JSON: the run without its results. */
  data: string;
}

export interface CheckResultsTable {
  repo: string;
  run_id: string;
  check_id: string;
  table_name: string;
  commit_id: string;
  created_at: number;
  status: string;
  /** JSON: the result. */
  data: string;
}

export interface TableProfilesTable {
  repo: string;
  table_name: string;
  commit_id: string;
  created_at: number;
  /** JSON: the profile. */
  data: string;
}

export interface BuildMemoTable {
  repo: string;
  fingerprint: string;
  created_at: number;
  /** JSON: what the build wrote (the pipeline layer's shape). */
  data: string;
}

/** The last event id handed out per repository (the event log's sequence). */
export interface EventSequencesTable {
  repo: string;
  last_id: number;
}

/** The append-only event log: rows are inserted, never updated. */
export interface EventsTable {
  repo: string;
  id: number;
  occurred_at: number;
  type: string;
  actor: string;
  outcome: string;
  /** JSON object of string → string. */
  refs: string;
  /** JSON object (the workflow layer's shape). */
  data: string;
}

/** Sandboxes: a branch `sandbox/<name>` plus who made it, from what, and when it expires. */
export interface SandboxesTable {
  repo: string;
  name: string;
  branch: string;
  created_at: number;
  /** Null: never expires. */
  expires_at: number | null;
  owner: string;
  from_ref: string;
  from_commit: string;
  /** 1: readable only by its owner and admins (issue 15); 0 otherwise. */
  private: number;
}

/** Idempotency keys, each recorded with the branch move that applied its request. */
export interface IdempotencyKeysTable {
  repo: string;
  key: string;
  request: string;
  branch: string;
  commit_id: string;
  created_at: number;
  /** JSON: the request's result (the layer above's shape). */
  data: string;
}

/** Users: people (with a password hash) and machines (keys only). Global, not per repository. */
export interface UsersTable {
  name: string;
  created_at: number;
  password_hash: string | null;
  email: string | null;
}

/** Flags are integers 0/1 in both dialects. */
export interface GroupsTable {
  name: string;
  created_at: number;
  builtin: number;
}

export interface GroupMembersTable {
  group_name: string;
  user_name: string;
}

export interface PoliciesTable {
  name: string;
  created_at: number;
  builtin: number;
  /** JSON text of the statements (the auth layer's shape). */
  document: string;
}

/** A policy attached to a user or a group. */
export interface PolicyAttachmentsTable {
  policy: string;
  principal_kind: 'user' | 'group';
  principal_name: string;
}

export interface AccessKeysTable {
  access_key_id: string;
  user_name: string;
  created_at: number;
  /** Sealed by the auth layer with the server key; never a plain secret. */
  sealed_secret: string;
}

/** The server's long-running operations: one row per run, updated while it runs. */
export interface ServerRunsTable {
  repo: string;
  id: string;
  kind: string;
  status: string;
  actor: string;
  created_at: number;
  updated_at: number;
  /** JSON (the server's shapes). */
  request: string;
  result: string | null;
  error: string | null;
  exit_code: number | null;
}

/** A run's log: rows are inserted, never updated. */
export interface ServerRunLogsTable {
  repo: string;
  run_id: string;
  seq: number;
  time: number;
  line: string;
}

/** Multipart uploads in progress (issue 16). */
export interface MultipartUploadsTable {
  repo: string;
  id: string;
  branch: string;
  path: string;
  initiator: string;
  created_at: number;
  content_type: string | null;
  /** JSON object of string → string. */
  metadata: string;
  checksum_algorithm: string | null;
}

/** One row per part number of an upload; a re-upload replaces the row. */
export interface MultipartPartsTable {
  repo: string;
  upload_id: string;
  part_number: number;
  size: number;
  md5: string;
  /** JSON object of algorithm → base64. */
  checksums: string;
  key: string;
  created_at: number;
}

export interface Database {
  repositories: RepositoriesTable;
  branches: BranchesTable;
  staging: StagingTable;
  commits: CommitsTable;
  tags: TagsTable;
  aliases: AliasesTable;
  check_runs: CheckRunsTable;
  check_results: CheckResultsTable;
  table_profiles: TableProfilesTable;
  build_memo: BuildMemoTable;
  event_sequences: EventSequencesTable;
  events: EventsTable;
  sandboxes: SandboxesTable;
  idempotency_keys: IdempotencyKeysTable;
  users: UsersTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  policies: PoliciesTable;
  policy_attachments: PolicyAttachmentsTable;
  access_keys: AccessKeysTable;
  server_runs: ServerRunsTable;
  server_run_logs: ServerRunLogsTable;
  multipart_uploads: MultipartUploadsTable;
  multipart_parts: MultipartPartsTable;
}

export type MetaDialect = 'sqlite' | 'postgres';
