// The workflow sections of `sluice.yml` — `ingestors:`, `environments:`, `alerts:`, `schedule:` —
// and the files `ingestors/*.yml` (one ingestor each, or a list). The rest of `sluice.yml` belongs
// to other layers (`gates:` to quality/, `name:`/`paths:` to pipeline/) and is not looked at here.
//
//   ingestors:
//     - name: orders                     # the run branch is ingest/orders/<run-id>
//       kind: rest                       # or files (path: exports/*.csv)
//       url: https://api.example.com/orders
//       headers: {Authorization: "Bearer ${ORDERS_TOKEN}"}   # resolved when the run starts
//       records: $.data                  # where the records array is in each response
//       pagination: {type: cursor, param: after, next: $.next_cursor}
//       table: orders
//       mode: upsert                     # append (default) | overwrite | upsert
//       key: [id]
//       schedule: "*/5 * * * *"
//   environments:
//     staging: {from: main, sample: {fraction: 0.1, seed: 42}, mask: {customers.email: hash},
//               build: {exclude: raw_orders}}   # or true (the default) / false
//     production: {smoke: {select: "tag:smoke"}}
//   alerts:
//     - {name: team, kind: slack, url: "https://hooks.slack.com/services/${SLACK_HOOK}"}
//   schedule:
//     builds: [{cron: "0 * * * *", branch: staging}]
//
// This folder: the typed configuration (types.ts), the field rules its schemas share (fields.ts),
// one schema per section (ingestor-schema.ts, environments-schema.ts, alerts-schema.ts,
// schedule-schema.ts), `${NAME}` references (common/env-refs.ts), configured paths (repo-paths.ts), and
// reading the files (load-config.ts).
export { type Env, resolveEnvRefs, resolveHeaders, resolveUrl } from '../../common/env-refs.js';
export { describeOrigin, findIngestor, loadWorkflowConfig } from './load-config.js';
export { checkRepoRelativePath, isInsideDir } from './repo-paths.js';
export {
  type AlertConfig,
  type ConfigOrigin,
  type EnvironmentsConfig,
  type FilesIngestor,
  type Ingestor,
  type MaskMethod,
  type MaskRule,
  type Pagination,
  PRODUCTION_DEFAULTS,
  type ProductionEnvironment,
  type RestIngestor,
  type RestSource,
  type ScheduleConfig,
  type ScheduledBuild,
  STAGING_DEFAULTS,
  type StagingEnvironment,
  type WorkflowConfig,
} from './types.js';
