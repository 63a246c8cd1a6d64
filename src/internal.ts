// `sluice/internal`: what tools built on Sluice (and its own edges) need below the layers' public
// entries — the repository configuration, the store interfaces and their roles, the core's
// policy hooks, and the helpers every layer shares (error lines, run ids, config notices). Not a
// stable surface: it follows the code.
export { commitChanges } from './api/commit-changes.js';
export { type RepoConfig, readConfig } from './api/repo-config.js';
export { type CreateRepositoryInput, RepositoryHost } from './api/repository-host.js';
export {
  type AliasJson,
  aliasJson,
  type BranchJson,
  branchFromJson,
  branchJson,
  type ChangeCounts,
  type ChangeJson,
  type CommitJson,
  changeFromJson,
  changeJson,
  commitFromJson,
  commitJson,
  countChanges,
  type EntryJson,
  entryFromJson,
  entryJson,
  type ListItemJson,
  listItemJson,
  type MergeJson,
  type MergeOutcomeJson,
  mergeJson,
  type TagJson,
  tagJson,
} from './api/wire-core.js';
export { type ExportJson, exportJson, type ImportJson, importJson } from './api/wire-lake.js';
export {
  type BuildDocument,
  buildDocument,
  buildNodeLine,
  type CheckDocument,
  type CheckHistoryDocument,
  type CheckHistoryRun,
  checkDocument,
  checkHistoryDocument,
  isFinished,
  loadDocument,
  phaseLine,
  RUN_STATUSES,
  type RunJson,
  type RunLogLineJson,
  rollbackDocument,
  runJson,
  runLogLineJson,
  workflowRunJson,
} from './api/wire-ops.js';
export {
  type ColumnJson,
  type QueryResultJson,
  type RowJson,
  type TableDiffJson,
  type TableInfoJson,
  type TableListJson,
  type TableSummaryJson,
  tableDiffFromJson,
  tableDiffJson,
  tableInfoJson,
  tableSummaryJson,
} from './api/wire-tables.js';
export {
  type EventJson,
  eventFromJson,
  eventJson,
  type ImpactJson,
  impactFromJson,
  impactJson,
  type LineageJson,
  lineageFromJson,
  lineageJson,
  type MetricsJson,
  metricsFromJson,
  metricsJson,
  type SandboxDeletedJson,
  type SandboxJson,
  type SandboxStatusJson,
  sandboxFromJson,
  sandboxJson,
  sandboxStatusFromJson,
  sandboxStatusJson,
} from './api/wire-workflow.js';
export { actingAs, currentActor } from './common/actor.js';
export {
  type IgnoredKey,
  ignoredKeysWarning,
  noteIgnoredKey,
  withConfigNotices,
} from './common/config-notices.js';
export { errorCode, errorLine, firstLine } from './common/error-line.js';
export { OffloadedMd5 } from './common/md5-offload.js';
export { newRunId, RUN_ID_PATTERN } from './common/run-id.js';
export { SLUICE_YML_SECTIONS } from './common/sluice-yml.js';
export type { WriteOp, WritePolicy } from './core/repository.js';
export { parseMemoryLimit } from './engine/memory-limit.js';
export type {
  BuildMemoStore,
  CommitRecordStore,
  EventStore,
  Lease,
  LeaseStore,
  MetaStore,
  QualityHistoryStore,
  RefStore,
  SandboxStore,
  ServerRunLogLine,
  ServerRunPatch,
  ServerRunRecord,
  ServerRunStatus,
  ServerRunStore,
  StagingStore,
} from './meta/meta-store.js';
export type { DirectAccess, ObjectStore } from './storage/object-store.js';
