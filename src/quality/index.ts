// `sluice/quality`: checks that gate merges — the check catalogue, specs in dbt's properties
// shape, runs and their stored history, gates and the gated merge, profiles, Great Expectations
// import, suggestions, data docs, and when a verdict may be reused.
export { CHECKS, type CheckType } from './checks.js';
export {
  type ConfigFileChange,
  type ConfigPush,
  configFilesOf,
  describePush,
  type RuleChanges,
} from './config-push.js';
export { type CheckRef, type ConfigStatus, configStatus } from './config-status.js';
export { type DataAtRef, dataAtRef, readsExactly } from './data-at-ref.js';
export {
  loadProjectConfig as loadGateConfig,
  type ProjectConfig as GateConfig,
  REPOSITORY_SECTIONS,
} from './gate-config.js';
export {
  type EffectiveRule,
  effectiveRule,
  type RuleSource,
  type Weakening,
} from './gate-rules.js';
export {
  ATTESTED_METADATA_PREFIXES,
  type GatedMergeOptions,
  type GateReport,
  type GateRule,
  Gates,
  gatesOf,
  type LocalRules,
} from './gates.js';
export { type GeImport, type GeImportOptions, importGeSuite } from './gx.js';
export { type ColumnProfile, profileTable, type TableProfile } from './profile.js';
export { CONFIG_DIR, type PublishedConfig } from './published-config.js';
export {
  type DataDocsInput,
  dataDocsChunks,
  gatherHistory,
  renderDataDocs,
  type TableHistory,
  writeDataDocs,
} from './report-html.js';
export { definitionDigest, verdictReusable } from './reuse.js';
export {
  type CheckResult,
  type CheckRun,
  type RunOptions,
  runChecks,
  storeRun,
} from './run.js';
export { type CheckSpec, loadSpecs, parseSpecText, type Severity } from './spec.js';
export { type Suggestion, suggestChecks } from './suggest.js';
export { type CheckStatus, type CheckSummary, summarize, worstStatus } from './summary.js';
