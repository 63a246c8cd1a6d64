// `sluice/workflow`: the product as users meet it — the workflow configuration, write–audit–
// publish loads, environments (promote, deploy, rollback, status), sandboxes, the event log and
// the outcome metrics, alerts, schedules, and the run lifecycle they share.
export { type Alert, type AlertSink, type SendAlertResult, sendAlert } from './alerts.js';
export {
  type AlertConfig,
  type Ingestor,
  loadWorkflowConfig,
  type ProductionEnvironment,
  type StagingEnvironment,
  type WorkflowConfig,
} from './config/index.js';
export {
  type PublishConfigOptions,
  type PublishedChange,
  publishConfig,
} from './config-publish.js';
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
} from './environments/index.js';
export {
  type AlertEvent,
  type BuildEvent,
  buildErrorEvent,
  buildEvent,
  type CheckEvent,
  type Colour,
  type ConfigEvent,
  checkErrorEvent,
  checkEvent,
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
} from './events/index.js';
export { type GatedMerge, type GatedMergeOptions, gatedMerge } from './gated-merge.js';
export { type LoadOptions, type LoadPhase, type LoadRun, runLoad } from './load.js';
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
} from './metrics.js';
export { notify } from './notify.js';
export { repositoryMetrics } from './repository-metrics.js';
export {
  type RunKind,
  runWorkflow,
  type WorkflowRun,
  type WorkflowRunOptions,
} from './run-lifecycle.js';
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
} from './sandbox.js';
export { type ScheduledJob, Scheduler, startScheduler, validateCron } from './schedule.js';
export { runScheduledBuild, type ScheduledBuildRun } from './scheduled-build.js';
export { type JobOutcome, scheduledJobs } from './scheduled-jobs.js';
