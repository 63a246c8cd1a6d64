// The closed set of errors. Every error Sluice raises on purpose is a SluiceError with a stable
// `code` (equal to the class name) and typed `data`; the edges (CLI, server) map the category
// parents to exit codes / HTTP statuses in one place.

export type ErrorData = Record<string, unknown>;

export class SluiceError<D extends ErrorData = ErrorData> extends Error {
  readonly code: string;
  readonly data: D;
  constructor(message: string, data: D = {} as D, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = new.target.name;
    this.data = data;
  }
}

// ---- categories -----------------------------------------------------------------------------
export class NotFoundError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
export class ConflictError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
export class ValidationError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
export class PreconditionError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
export class AuthError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
/** Stored bytes do not match their address: the store was damaged or tampered with. */
export class IntegrityError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
export class InternalError<D extends ErrorData = ErrorData> extends SluiceError<D> {}
/**
 * A store the repository lives on cannot be reached, dropped the connection, or refuses the
 * credentials: an outage to wait out or a setting to fix, not damage. Names the store and its
 * host, never a credential.
 */
export class UnavailableError<D extends ErrorData = ErrorData> extends SluiceError<D> {}

// ---- not found ------------------------------------------------------------------------------
export class RepositoryNotFoundError extends NotFoundError<{ repository: string }> {}
export class BranchNotFoundError extends NotFoundError<{ branch: string }> {}
export class TagNotFoundError extends NotFoundError<{ tag: string }> {}
export class AliasNotFoundError extends NotFoundError<{ alias: string }> {}
export class RefNotFoundError extends NotFoundError<{ ref: string }> {}
export class CommitNotFoundError extends NotFoundError<{ commit: string }> {}
export class PathNotFoundError extends NotFoundError<{ path: string; ref?: string }> {}
export class ObjectNotFoundError extends NotFoundError<{ key: string }> {}
export class FileNotFoundError extends NotFoundError<{ file: string }> {}
export class TableNotFoundError extends NotFoundError<{ table: string; ref: string }> {}
export class SandboxNotFoundError extends NotFoundError<{ sandbox: string }> {}

// ---- conflict -------------------------------------------------------------------------------
export interface MergeConflict {
  path: string;
  /** What each side did to the path relative to the merge base. */
  source: 'added' | 'removed' | 'changed';
  destination: 'added' | 'removed' | 'changed';
}
export class MergeConflictError extends ConflictError<{
  source: string;
  destination: string;
  conflicts: MergeConflict[];
  /** Number of conflicting paths (the list may be truncated). */
  count: number;
}> {}
export class RefAlreadyExistsError extends ConflictError<{ name: string; kind: string }> {}
export class RepositoryAlreadyExistsError extends ConflictError<{ repository: string }> {}
/** A compare-and-swap lost to a concurrent writer too many times. */
export class ConcurrentUpdateError extends ConflictError<{ ref: string }> {}
/**
 * A table whose name differs only in case from one the ref already has (`Orders` where `orders`
 * is): SQL reads both as one name, so the second would break every query on the branch.
 */
export class TableNameConflictError extends ConflictError<{
  table: string;
  existing: string;
  ref: string;
}> {}
/** An idempotency key used again for another request than the one it applied (issue 14). */
export class IdempotencyKeyReusedError extends ConflictError<{
  key: string;
  request: string;
  /** The request the key was first used for. */
  recorded: string;
}> {}
/** An append whose key is already in the table (a primary key names one row). */
export class DuplicateKeyError extends ConflictError<{
  table: string;
  key: string[];
  value: Record<string, unknown>;
}> {}

// ---- validation -----------------------------------------------------------------------------
export class InvalidNameError extends ValidationError<{
  name: string;
  kind: string;
  reason: string;
}> {}
export class InvalidPathError extends ValidationError<{ path: string; reason: string }> {}
export class InvalidRefError extends ValidationError<{ ref: string; reason: string }> {}
export class AmbiguousRefError extends ValidationError<{ ref: string; candidates: string[] }> {}
export class InvalidArgumentError extends ValidationError<{ argument: string; reason: string }> {}
/** A configuration file that cannot be used: names the file and, where known, the line and field. */
export class InvalidConfigError extends ValidationError<{
  file: string;
  reason: string;
  line?: number;
  field?: string;
}> {}
/** An input file that cannot be read as its format: names the file and, where known, the line. */
export class MalformedInputError extends ValidationError<{
  file: string;
  format: string;
  line?: number;
  column?: string;
}> {}
/** A write whose columns do not fit the table's: names the column and both types. */
export class SchemaMismatchError extends ValidationError<{
  table: string;
  column: string;
  tableType?: string;
  inputType?: string;
  reason: string;
}> {}
/** A check spec that cannot be used: names the file and line (before any query runs). */
export class CheckSpecError extends ValidationError<{
  file: string;
  line?: number;
  reason: string;
}> {}
/**
 * A pipeline project that cannot be built: an unknown ref, a cycle, a Jinja error, a bad
 * property, a contract mismatch. Names the file (relative to the project) and the line if known.
 */
export class ProjectError extends ValidationError<{
  file: string;
  line?: number;
  reason: string;
}> {}
/** A SQL statement DuckDB refused (syntax, unknown table or column, a failed cast, …). */
export class SqlError extends ValidationError<{ sql?: string; line?: number }> {}
/**
 * A query that ran past its time limit (the server's SQL, `timeoutMs`) and was interrupted. A
 * validation error (400, exit 1): the same request asks for the same work and times out again —
 * not 408, which says the client was slow to send and which clients and proxies retry on their own.
 */
export class QueryTimeoutError extends ValidationError<{ timeoutMs: number }> {}
/**
 * Commit or merge metadata a caller may not give: keys Sluice records to attest something — a
 * forced gate (`sluice.gate.*`), a rules change (`sluice.config.*`); from the command line,
 * every `sluice.*` key (docs/quality.md, "Reserved metadata").
 */
export class ReservedMetadataError extends ValidationError<{ keys: string[]; reason: string }> {}
/** A write under `_sluice/config/`, where the repository keeps its published rules. */
export class ReservedPathError extends ValidationError<{ path: string }> {}

// ---- precondition ---------------------------------------------------------------------------
export class EmptyCommitError extends PreconditionError<{ branch: string }> {}
export class DefaultBranchError extends PreconditionError<{ branch: string }> {}
/** A write to a protected branch other than a gated merge (`gates:`, published or local). */
export class ProtectedBranchError extends PreconditionError<{
  branch: string;
  operation: string;
  rule: string;
}> {}
/**
 * A move of the default branch (merge, revert, cherry-pick, reset) that would change the rules it
 * publishes under `_sluice/config/`: they change only by `sluice config push`.
 */
export class ConfigChangeError extends PreconditionError<{
  branch: string;
  operation: string;
  paths: string[];
}> {}
/** A gate refused a merge or commit: failing checks (with samples) or a webhook's answer. */
export class GateFailedError extends PreconditionError<{
  branch: string;
  source?: string;
  failed: {
    id: string;
    name: string;
    table: string;
    status: string;
    message?: string;
    sample?: unknown[];
  }[];
  webhooks: { url: string; ok: boolean; status?: number; reason?: string }[];
}> {}
export class UncommittedChangesError extends PreconditionError<{ branch: string; count: number }> {}
export class NotABranchError extends PreconditionError<{ ref: string; kind: string }> {}
export class AliasTargetError extends PreconditionError<{ branch: string; aliases: string[] }> {}
export class NoCommonAncestorError extends PreconditionError<{
  source: string;
  destination: string;
}> {}
export class MergeCommitParentError extends PreconditionError<{
  commit: string;
  parents: number;
}> {}
/** A configuration value needs an environment variable that is not set (never its value). */
export class MissingEnvVarError extends PreconditionError<{ variable: string; where: string }> {}
/**
 * A remote source (an ingestor's REST endpoint) did not give usable data: an HTTP error, a network
 * failure or timeout after the retries, a body that is not JSON, records that are not an array of
 * objects. Names the URL and the page; never a header's value.
 */
export class SourceFetchError extends PreconditionError<{
  url: string;
  page: number;
  reason: string;
  status?: number;
  attempts?: number;
}> {}

// ---- unavailable ----------------------------------------------------------------------------
/** What an outage error says about the store: which one, where, and why (no credential). */
export interface StoreUnavailable {
  /** `postgres`, `s3`. */
  store: string;
  /** `host:port` (or the endpoint's host), as the repository's configuration names it. */
  host: string;
  /** `unreachable`, `credentials refused`, `connection lost`, `timeout`. */
  reason: string;
  [key: string]: unknown;
}
export class MetaStoreUnavailableError extends UnavailableError<
  StoreUnavailable & { database?: string }
> {}
export class ObjectStoreUnavailableError extends UnavailableError<
  StoreUnavailable & { bucket?: string }
> {}

// ---- auth -----------------------------------------------------------------------------------
/**
 * A read-only SQL session (`sluice sql --read-only`, the server's SQL) refused a statement:
 * reading or writing files outside the repository's tables (`file`: COPY … TO, read_csv,
 * ATTACH …) or changing the configuration (`configuration`: SET, PRAGMA, RESET).
 */
export class ReadOnlySqlError extends AuthError<{
  refused: 'file' | 'configuration';
  sql?: string;
}> {}

/** A request without valid credentials: missing, malformed, unknown key, wrong secret, expired token. */
export class UnauthenticatedError extends AuthError<{ reason: string }> {}
/** Authenticated, but no policy allows the action on the resource (or one denies it). */
export class PermissionDeniedError extends AuthError<{
  action: string;
  resource: string;
  reason: string;
}> {}
/** Too many failed sign-ins from one key or address: wait `retryAfterSeconds`. */
export class RateLimitedError extends AuthError<{ retryAfterSeconds: number }> {}
export class UserNotFoundError extends NotFoundError<{ user: string }> {}
export class GroupNotFoundError extends NotFoundError<{ group: string }> {}
export class PolicyNotFoundError extends NotFoundError<{ policy: string }> {}
export class AccessKeyNotFoundError extends NotFoundError<{ accessKeyId: string }> {}
/** `sluice auth bootstrap` once an admin exists: the first admin is made once. */
export class AlreadyBootstrappedError extends ConflictError<{ admins: string[] }> {}
/** A request body or field over the server's limit. */
export class PayloadTooLargeError extends ValidationError<{ limit: number; what: string }> {}
/** A byte range (HTTP `Range:`) that starts past the object's end (HTTP 416). */
export class RangeNotSatisfiableError extends ValidationError<{ range: string; size: number }> {}
/** A request for a path and method the server has no route for. */
export class RouteNotFoundError extends NotFoundError<{ method: string; path: string }> {}
/** A Sluice server (`--remote`) cannot be reached. */
export class ServerUnavailableError extends UnavailableError<{ url: string; reason: string }> {}
/** A command that does not run against a server (`--remote`): it needs the repository's directory. */
export class RemoteUnsupportedError extends ValidationError<{ command: string }> {}
/** `sluice serve` before `sluice auth bootstrap`: no server key, or no admin to manage users. */
export class NotBootstrappedError extends PreconditionError<{ reason: string }> {}
/** A run id (build, load, promote …) the server does not know. */
export class RunNotFoundError extends NotFoundError<{ run: string }> {}
/** A server's long operation on a repository it holds no project directory for. */
export class NoProjectError extends PreconditionError<{ repository: string }> {}
/** A built-in group or policy cannot be deleted or rewritten. */
export class BuiltinIdentityError extends PreconditionError<{ name: string; kind: string }> {}
/** Deleting the last member of Admins, or removing it from the group: nobody could manage users. */
export class LastAdminError extends PreconditionError<{ user: string }> {}
/** A write asked to create a path only if absent (S3 `If-None-Match: *`), and it exists. */
export class PreconditionFailedError extends PreconditionError<{ path: string; branch: string }> {}

// ---- multipart uploads (issue 16) --------------------------------------------------------------
/** No multipart upload with that id in the repository (never created, completed or aborted). */
export class UploadNotFoundError extends NotFoundError<{ uploadId: string }> {}
/** A part named at completion was never uploaded, or its ETag is not the one recorded. */
export class InvalidPartError extends ValidationError<{ partNumber: number; reason: string }> {}
/** The parts named at completion are not in ascending order (or one is named twice). */
export class InvalidPartOrderError extends ValidationError<{ partNumber: number }> {}
/** A part other than the last is smaller than the minimum part size (S3: 5 MiB). */
export class EntityTooSmallError extends ValidationError<{
  partNumber: number;
  size: number;
  minimum: number;
}> {}

// ---- integrity ------------------------------------------------------------------------------
/**
 * A sealed secret that does not open: another server key, or the stored text was altered. Names
 * what was sealed (`context`, e.g. an access key id), never the secret or the key.
 */
export class SealedSecretError extends IntegrityError<{ context: string; reason: string }> {}
export class ObjectCorruptedError extends IntegrityError<{
  key: string;
  expected: string;
  actual: string;
}> {}

/** Wraps anything that is not a SluiceError so the edges can report it uniformly. */
export function toSluiceError(err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(message, {}, { cause: err });
}
