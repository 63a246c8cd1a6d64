// `sluice/schemas`: the JSON shapes of the API (the same as the CLI's `--json` documents) as zod
// schemas — the server's response schemas, hence the OpenAPI document's components. A client may
// validate what it receives with them; their TypeScript types are in `sluice/internal`
// (`BranchJson`, `CommitJson` …) and in the generated client (`sluice/client`).
export * from './wire-core-schemas.js';
export * from './wire-ops-schemas.js';
export * from './wire-tables-schemas.js';
export * from './wire-workflow-schemas.js';
