// `sluice/quality`: checks that gate merges — the check catalogue, specs in dbt's properties
// shape, runs and their stored history, gates and the gated merge, profiles, Great Expectations
// import, suggestions, data docs, and when a verdict may be reused.
export { CHECKS, type CheckType } from './checks.js';
export { type DataAtRef, dataAtRef, readsExactly } from './data-at-ref.js';
export {
  type GateReport,
  type GateRule,
  Gates,
  gatesOf,
  loadProjectConfig as loadGateConfig,
  type ProjectConfig as GateConfig,
} from './gates.js';
export { type GeImport, type GeImportOptions, importGeSuite } from './gx.js';
export { type ColumnProfile, profileTable, type TableProfile } from './profile.js';
export {
  type DataDocsInput,
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
