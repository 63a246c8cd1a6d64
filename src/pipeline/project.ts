// A project on disk, in dbt's layout: `sluice.yml` (or, when only it exists, `dbt_project.yml`),
// `models/**/*.sql`, `models/**/*.yml` and `models/**/*.md` (docs blocks), `seeds/*.csv`. Loading
// reads and validates every file — a problem is a ProjectError naming the file and line — and
// keeps the text of each, so a build can snapshot exactly the files it used.
//
// `loadProject` reads in this order: the config (project/config.ts) → snapshots refused → docs
// blocks (project/docs.ts: descriptions name them) → macros indexed → per model path, the models
// and the properties files (project/properties.ts) → seeds → singular tests (project/files.ts).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ProjectConfig } from './project/config.js';
import { loadProjectConfig } from './project/config.js';
import { readDocsFiles } from './project/docs.js';
import {
  indexMacros,
  loadSingularTests,
  readModelFiles,
  readSeedFiles,
  refuseSnapshots,
  walk,
} from './project/files.js';
import { type Properties, readPropertiesFile } from './project/properties.js';
import { toPosix } from './project/reading.js';
import type { ColumnDoc, DocBlock, Materialization } from './types.js';

export {
  folderMaterialization,
  folderModelConfig,
  loadProjectConfig,
  MATERIALIZATIONS,
  type ProjectConfig,
} from './project/config.js';
export { parseReference } from './project/properties.js';

/** A model's `config`, from its folder, its properties and its `{{ config(...) }}` call. */
export interface ModelConfig {
  materialized: Materialization;
  tags: string[];
  /** Incremental: merge on these columns (else append). */
  uniqueKey?: string[];
  /** Check the declared columns and types before writing. */
  contractEnforced: boolean;
  /** The table written; default the model's name. */
  alias?: string;
  enabled: boolean;
}

export interface ModelFile {
  name: string;
  /** Relative to the project, `/`-separated. */
  path: string;
  /** The folder under its model path ('' at the root), for folder-level config. */
  folder: string;
  sql: string;
}

export interface SeedFile {
  name: string;
  path: string;
}

export interface ModelProperties {
  name: string;
  description?: string;
  columns: ColumnDoc[];
  config: Partial<ModelConfig>;
  tags: string[];
  /** Where the entry is, for errors. */
  file: string;
  line: number;
}

export interface SourceTable {
  source: string;
  name: string;
  /** The table read; default `name`. */
  identifier: string;
  description?: string;
  loadedAtField?: string;
  freshness?: { warnAfter?: Duration; errorAfter?: Duration };
  columns: ColumnDoc[];
  file: string;
  line: number;
}

export interface Duration {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface Exposure {
  name: string;
  type: string;
  owner: { name?: string; email?: string };
  url?: string;
  description?: string;
  label?: string;
  maturity?: string;
  /** `ref('x')` → {kind: 'ref', name: 'x'}; `source('s', 't')` → {kind: 'source', …}. */
  dependsOn: Reference[];
  file: string;
  line: number;
}

export type Reference =
  | { kind: 'ref'; name: string }
  | { kind: 'source'; source: string; table: string };

export interface Project {
  dir: string;
  config: ProjectConfig;
  models: Map<string, ModelFile>;
  seeds: Map<string, SeedFile>;
  properties: Map<string, ModelProperties>;
  sources: Map<string, SourceTable>;
  exposures: Map<string, Exposure>;
  /** The properties files (`models/**.yml`), relative paths: their tests are the checks. */
  propertyFiles: string[];
  /** Singular data tests (`tests/**.sql`): a query that fails the test by returning rows. */
  singularTests: Map<string, ModelFile>;
  /** The docs blocks of the `.md` files under the model paths, by name. */
  docs?: Map<string, DocBlock>;
  /** Every file the project consists of, relative path → text (what a build snapshots). */
  files: Map<string, string>;
  /** The macros defined under the macro paths (not supported: named when a model calls one). */
  macros?: Map<string, { file: string; line: number }>;
}

/** Loads and validates a project directory. */
export function loadProject(dir: string): Project {
  const config = loadProjectConfig(dir);
  refuseSnapshots(dir, config);
  const files = new Map<string, string>();
  files.set(config.file, readFileSync(join(dir, config.file), 'utf8'));
  // Docs blocks first: properties' descriptions name them (`'{{ doc("orders_status") }}'`).
  const docs = readDocsFiles(dir, config, files);
  const macros = indexMacros(dir, config);
  const models = new Map<string, ModelFile>();
  const described: Properties = {
    properties: new Map(),
    sources: new Map(),
    exposures: new Map(),
    propertyFiles: [],
  };
  for (const mp of config.modelPaths) {
    readModelFiles(dir, mp, models, files);
    for (const abs of walk(join(dir, mp), /\.ya?ml$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      files.set(path, text);
      readPropertiesFile(text, path, docs, described);
    }
  }
  const seeds = readSeedFiles(dir, config, models, files);
  // A `models:` entry may describe a table no model builds (an ingested table): its tests are
  // `sluice check`'s, and a build leaves it alone.
  const singularTests = loadSingularTests(dir, config, files);
  return {
    dir,
    config,
    models,
    seeds,
    properties: described.properties,
    sources: described.sources,
    exposures: described.exposures,
    propertyFiles: described.propertyFiles,
    singularTests,
    docs,
    files,
    macros,
  };
}
