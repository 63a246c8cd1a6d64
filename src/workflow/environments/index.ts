// Environments: `main` → `staging` → `production` (blue/green), and rollback — the front door.
//
// promote.ts moves main's head to staging through a candidate branch (staging rules, build,
// checks); deploy.ts puts staging's head on production's idle colour and flips the alias after its
// smoke checks; rollback.ts flips it back to an earlier deploy. The alias mechanics they share are
// alias.ts; what is live is read from the event log (deploy-history.ts); status.ts reports it all.
export {
  type EnvironmentOptions,
  hasProject,
  productionOf,
  stagingOf,
} from './configuration.js';
export {
  type DeployOptions,
  type DeployRun,
  type DeploySource,
  deploy,
  deploySource,
  type SmokeStatus,
  smokeSpecs,
} from './deploy.js';
export { type DeployHistory, deployHistory } from './deploy-history.js';
export type { FailedCheck } from './failed-checks.js';
export { type PromoteOptions, type PromoteRun, promote } from './promote.js';
export { type RollbackOptions, type RollbackRun, rollback } from './rollback.js';
export {
  applyStagingRules,
  maskExpression,
  type SampledTable,
  type StagingRulesResult,
  sampleCondition,
  sampleThreshold,
} from './staging-rules.js';
export {
  type CommitAge,
  type EnvStatus,
  envStatus,
  type ProductionStatus,
  type StagingStatus,
} from './status.js';
