// The front door: what a TypeScript user needs to open a repository and use its branches, tables,
// checks, builds and workflows. Each layer's fuller surface is a subpath export — `sluice/tables`,
// `sluice/quality`, `sluice/pipeline`, `sluice/workflow` — and what lies below them is
// `sluice/internal` (docs/architecture.md, "The public API"). The CLI imports these entries only.

// ---- repositories, refs and commits -------------------------------------------------------------
export { type InitOptions, initRepository, openRepository } from './api/open-repository.js';
export { findRepoDir } from './api/repo-config.js';
export * from './common/errors.js';
export type {
  AliasName,
  BranchName,
  CommitId,
  NodeId,
  ObjectAddress,
  RepoPath,
  TagName,
} from './common/ids.js';
export { parseAliasName, parseBranchName, parseRepoPath, parseTagName } from './common/ids.js';
export type { Commit } from './core/commit-codec.js';
export type { Change, ChangeType, EntryValue, TreeEntry } from './core/entry.js';
export type { FsckOptions, FsckProblem, FsckReport } from './core/fsck.js';
export type { GcOptions, GcReport } from './core/gc.js';
export { discardSpool, hashingSpool } from './core/hashing-spool.js';
export type { MergeStrategy } from './core/merge.js';
export type { ResolvedRef } from './core/refs.js';
export {
  type Body,
  type BranchInfo,
  type CommitOutcome,
  type CompletedPart,
  type CompleteOptions,
  type CreateUploadOptions,
  type HashedBody,
  type IdempotencyClaim,
  type IdempotencyRecord,
  type ListItem,
  type ListUploadsOptions,
  type MergeOptions,
  type MergeResult,
  type MultipartUpload,
  type PartOptions,
  type Progress,
  type PutItem,
  type PutObjectsOptions,
  Repository,
  type UploadedPart,
} from './core/repository.js';

// ---- tables and SQL ---------------------------------------------------------------------------
export { type QueryResult, withDuck } from './engine/duckdb.js';
export { SqlSession, type SqlSessionOptions, withSqlSession } from './engine/session.js';
export { type Column, getTable, listTables, type TableAtRef } from './engine/tables.js';
// ---- pipelines ---------------------------------------------------------------------------------
export {
  type BuildCommand,
  type BuildOptions,
  type BuildOutcome,
  buildProject,
} from './pipeline/build.js';
// ---- quality checks ----------------------------------------------------------------------------
export {
  type CheckResult,
  type CheckRun,
  type RunOptions,
  runChecks,
} from './quality/run.js';
export { type CheckSpec, loadSpecs } from './quality/spec.js';
export type { CheckStatus, CheckSummary } from './quality/summary.js';
export {
  type IngestOptions,
  type IngestResult,
  ingest,
  type WriteMode,
} from './tables/ingest.js';
export { diffTable, type TableDiff, type TableDiffOptions } from './tables/table-diff.js';
export { exportTable, showTable, type TableInfo, tableHistory } from './tables/table-ops.js';

// ---- workflows ---------------------------------------------------------------------------------
export { loadWorkflowConfig, type WorkflowConfig } from './workflow/config/index.js';
export {
  type DeployOptions,
  type DeployRun,
  deploy,
  type EnvStatus,
  envStatus,
  type PromoteOptions,
  type PromoteRun,
  promote,
  type RollbackOptions,
  type RollbackRun,
  rollback,
} from './workflow/environments/index.js';
export {
  type EventFilter,
  listEvents,
  recordEvent,
  type StoredEvent,
  type WorkflowEvent,
} from './workflow/events/index.js';
export { type LoadOptions, type LoadRun, runLoad } from './workflow/load.js';
export { computeMetrics, type MetricsOptions, type OutcomeMetrics } from './workflow/metrics.js';
export {
  type CreateSandboxOptions,
  createSandbox,
  deleteSandbox,
  listSandboxes,
  type Sandbox,
  type SandboxStatus,
} from './workflow/sandbox.js';
