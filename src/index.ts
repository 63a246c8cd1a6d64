// The library surface: what a TypeScript user imports, and what the CLI and server call.

export { type InitOptions, initRepository, openRepository } from './api/open-repository.js';
export { findRepoDir, type RepoConfig, readConfig } from './api/repo-config.js';
export {
  type IgnoredKey,
  ignoredKeysWarning,
  withConfigNotices,
} from './common/config-notices.js';
export { errorCode, errorLine, firstLine } from './common/error-line.js';
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
export { newRunId, RUN_ID_PATTERN } from './common/run-id.js';
export type { Commit } from './core/commit-codec.js';
export type { Change, ChangeType, EntryValue, TreeEntry } from './core/entry.js';
export type { FsckOptions, FsckProblem, FsckReport } from './core/fsck.js';
export type { GcOptions, GcReport } from './core/gc.js';
export type { MergeStrategy } from './core/merge.js';
export type { ResolvedRef } from './core/refs.js';
export type {
  BranchInfo,
  ListItem,
  MergeOptions,
  MergeResult,
  Progress,
  PutItem,
  WriteOp,
  WritePolicy,
} from './core/repository.js';
export { Repository } from './core/repository.js';
// ---- tables and SQL ----------------------------------------------------------------------------
export { type DuckOptions, DuckSession, type QueryResult, withDuck } from './engine/duckdb.js';
export { ObjectCache, type ObjectCacheOptions } from './engine/object-cache.js';
export { copyToFile, OUTPUT_FORMATS, type OutputFormat, outputFormatOf } from './engine/output.js';
export {
  type AttachedRef,
  defaultCacheDir,
  SqlSession,
  type SqlSessionOptions,
  schemaNameOf,
  withSqlSession,
} from './engine/session.js';
export {
  type Column,
  getTable,
  listTables,
  parseTableName,
  type TableAtRef,
  type TableManifest,
} from './engine/tables.js';
export type { MetaStore } from './meta/meta-store.js';
// ---- pipelines ---------------------------------------------------------------------------------
export {
  type BuildCommand,
  type BuildOptions,
  type BuildOutcome,
  buildProject,
  modifiedSince,
  readBuildState,
} from './pipeline/build.js';
export { type ColumnLineage, type ColumnSource, columnLineage } from './pipeline/column-lineage.js';
export {
  type FreshnessRun,
  type SourceFreshness,
  sourceFreshness,
  writeSourcesJson,
} from './pipeline/freshness.js';
export { type CompiledModel, type CompiledProject, compileProject } from './pipeline/graph.js';
export { type Impact, impactOf, type Lineage, projectLineage } from './pipeline/lineage.js';
export { loadProject, type Project } from './pipeline/project.js';
export { selectNodes } from './pipeline/select.js';
export type {
  BuildRun,
  GraphNode,
  NodeResult,
  NodeStatus,
  ProjectGraph,
} from './pipeline/types.js';
// ---- quality checks ----------------------------------------------------------------------------
export { CHECKS, type CheckType } from './quality/checks.js';
export { type DataAtRef, dataAtRef, readsExactly } from './quality/data-at-ref.js';
export {
  branchMatches,
  type GateReport,
  type GateRule,
  Gates,
  gatesOf,
  loadProjectConfig,
  type ProjectConfig,
} from './quality/gates.js';
export { type GeImport, type GeImportOptions, importGeSuite } from './quality/gx.js';
export {
  type ColumnProfile,
  profileTable,
  type TableProfile,
} from './quality/profile.js';
export {
  type DataDocsInput,
  gatherHistory,
  renderDataDocs,
  type TableHistory,
  writeDataDocs,
} from './quality/report-html.js';
export {
  type CheckResult,
  type CheckRun,
  type CheckStatus,
  type RunOptions,
  runChecks,
  storeRun,
  validateSpecs,
} from './quality/run.js';
export { type CheckSpec, loadSpecs, parseSpecText, type Severity } from './quality/spec.js';
export { type Suggestion, suggestChecks } from './quality/suggest.js';
export { CHECK_STATUSES, summarize, worstStatus } from './quality/summary.js';
export type { ObjectStore } from './storage/object-store.js';
export {
  type IngestOptions,
  type IngestProgress,
  type IngestResult,
  ingest,
  WRITE_MODES,
  type WriteMode,
} from './tables/ingest.js';
export type { SchemaChange } from './tables/schema.js';
export { type CsvOptions, INGEST_FORMATS, type IngestFormat } from './tables/sources.js';
export {
  diffTable,
  type Row,
  type TableDiff,
  type TableDiffOptions,
  type TableDiffSide,
} from './tables/table-diff.js';
export {
  exportTable,
  listTableInfos,
  showTable,
  type TableFile,
  type TableInfo,
  tableHistory,
} from './tables/table-ops.js';
export {
  type Alert,
  type AlertSink,
  type SendAlertResult,
  sendAlert,
} from './workflow/alerts.js';
export {
  type Ingestor,
  loadWorkflowConfig,
  type WorkflowConfig,
} from './workflow/config/index.js';
export {
  applyStagingRules,
  type CommitAge,
  type DeployHistory,
  type DeployOptions,
  type DeployRun,
  type DeploySource,
  deploy,
  deployHistory,
  deploySource,
  type EnvironmentOptions,
  type EnvStatus,
  envStatus,
  type FailedCheck,
  hasProject,
  maskExpression,
  type ProductionStatus,
  type PromoteOptions,
  type PromoteRun,
  productionOf,
  promote,
  type RollbackOptions,
  type RollbackRun,
  rollback,
  type SampledTable,
  type SmokeStatus,
  type StagingRulesResult,
  type StagingStatus,
  sampleCondition,
  sampleThreshold,
  smokeSpecs,
  stagingOf,
} from './workflow/environments/index.js';
export {
  type AlertEvent,
  type BuildEvent,
  buildErrorEvent,
  buildEvent,
  type CheckEvent,
  type CheckSummary,
  type Colour,
  type DeployEvent,
  type DeployedLoad,
  defaultActor,
  describeEvent,
  EVENT_TYPES,
  type EventFilter,
  type EventType,
  type LoadEvent,
  listEvents,
  type MergeEvent,
  newLoads,
  OUTCOMES,
  type Outcome,
  type PromoteEvent,
  parseDuration,
  parseSince,
  type RollbackEvent,
  recordEvent,
  type StoredEvent,
  toStoredEvent,
  type WorkflowEvent,
} from './workflow/events/index.js';
export { type LoadOptions, type LoadRun, runLoad } from './workflow/load.js';
export {
  computeMetrics,
  type DayCounts,
  type DurationStats,
  formatDuration,
  type Incident,
  type MetricsOptions,
  metricsChart,
  metricsTable,
  type OutcomeMetrics,
  percentile,
  renderMetricsHtml,
} from './workflow/metrics.js';
export { notify } from './workflow/notify.js';
export {
  type CreateSandboxOptions,
  createSandbox,
  type DeletedSandbox,
  deleteSandbox,
  type ExpireReport,
  type ExpireSandboxesOptions,
  expireSandboxes,
  getSandbox,
  listSandboxes,
  SANDBOX_BRANCH_PREFIX,
  type Sandbox,
  type SandboxState,
  type SandboxStatus,
  sandboxBranch,
  validateSandboxName,
} from './workflow/sandbox.js';
export {
  type ScheduledJob,
  Scheduler,
  startScheduler,
  validateCron,
} from './workflow/schedule.js';
export { runScheduledBuild, type ScheduledBuildRun } from './workflow/scheduled-build.js';
