// The sections of `sluice.yml`. Each layer reads its own sections (pipeline/: the project's;
// quality/: `gates:`; workflow/: ingestors, environments, alerts, schedule; engine/: `duckdb:`),
// so no reader knows the others' keys — this list does, and every reader checks the file's top
// level against it first: a key no layer reads is a typo or a guess (`branches: {protect:
// [main]}`), and accepting it silently would leave the feature the user meant switched off.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unknownKeyMessage } from './config-schema.js';
import type { FailAt, YamlFile } from './yaml-file.js';

/** The names sluice.yml may have, in the order they are looked for. */
export const SLUICE_YML_NAMES = ['sluice.yml', 'sluice.yaml'] as const;

/** The name of `dir`'s sluice.yml (or sluice.yaml), if it has one. */
export function sluiceYmlOf(dir: string): string | undefined {
  return SLUICE_YML_NAMES.find((f) => existsSync(join(dir, f)));
}

/** Every top-level key of sluice.yml, by the layer that reads it. */
export const SLUICE_YML_SECTIONS = {
  name: 'pipeline',
  paths: 'pipeline',
  vars: 'pipeline',
  materialized: 'pipeline',
  openlineage: 'pipeline',
  gates: 'quality',
  ingestors: 'workflow',
  environments: 'workflow',
  alerts: 'workflow',
  schedule: 'workflow',
  duckdb: 'engine',
} as const;

export type SluiceYmlSection = keyof typeof SLUICE_YML_SECTIONS;

/** What users plausibly write for a section (from other tools, or a natural guess). */
export const SLUICE_YML_SYNONYMS: Readonly<Record<string, SluiceYmlSection>> = {
  branches: 'gates',
  branch: 'gates',
  protect: 'gates',
  protected: 'gates',
  protected_branches: 'gates',
  protection: 'gates',
  branch_protection: 'gates',
  rules: 'gates',
  ingest: 'ingestors',
  ingestor: 'ingestors',
  ingestion: 'ingestors',
  sources: 'ingestors',
  loads: 'ingestors',
  environment: 'environments',
  envs: 'environments',
  env: 'environments',
  promotion: 'environments',
  alert: 'alerts',
  alerting: 'alerts',
  notifications: 'alerts',
  notify: 'alerts',
  webhooks: 'alerts',
  schedules: 'schedule',
  cron: 'schedule',
  jobs: 'schedule',
  variables: 'vars',
  project: 'name',
  'model-paths': 'paths',
  'seed-paths': 'paths',
  'test-paths': 'paths',
  models: 'materialized',
  materializations: 'materialized',
  lineage: 'openlineage',
  duck: 'duckdb',
  engine: 'duckdb',
  memory: 'duckdb',
  memory_limit: 'duckdb',
  settings: 'duckdb',
};

/**
 * Checks the top level of a parsed sluice.yml: a mapping whose keys are all sections some layer
 * reads. The first unknown key is `fail(line, k, "unknown key `k`; did you mean `s`?")`.
 */
export function checkSluiceYmlSections(y: YamlFile, fail: FailAt): void {
  const doc = y.value;
  if (doc === undefined || doc === null) return;
  if (typeof doc !== 'object' || Array.isArray(doc))
    fail(1, '', 'expected a mapping of sections (name:, gates:, ingestors:, …)');
  const known = Object.keys(SLUICE_YML_SECTIONS);
  for (const key of Object.keys(doc as Record<string, unknown>)) {
    if (Object.hasOwn(SLUICE_YML_SECTIONS, key)) continue;
    fail(y.lineAt([], key), key, unknownKeyMessage(key, known, SLUICE_YML_SYNONYMS));
  }
}
