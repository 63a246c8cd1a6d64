// `sluice/pipeline`: dbt-style projects built on a branch — loading and compiling a project,
// selectors, builds and their recorded state, lineage (model and column), impact of a change,
// source freshness.
export {
  type BuildCommand,
  type BuildOptions,
  type BuildOutcome,
  buildProject,
  readBuildState,
} from './build.js';
export { type ColumnLineage, type ColumnSource, columnLineage } from './column-lineage.js';
export {
  type FreshnessRun,
  type SourceFreshness,
  sourceFreshness,
  writeSourcesJson,
} from './freshness.js';
export { type CompiledModel, type CompiledProject, compileProject } from './graph.js';
export { type Impact, impactOf, type Lineage, projectLineage } from './lineage.js';
export { loadProject, type Project } from './project.js';
export {
  type AbandonedRun,
  type ExpireRunsReport,
  expireRunBranches,
} from './run-branches.js';
export { selectNodes } from './select.js';
export type { BuildRun, GraphNode, NodeResult, NodeStatus, ProjectGraph } from './types.js';
