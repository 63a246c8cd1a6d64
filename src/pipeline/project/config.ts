// A project's own config: `sluice.yml`, or (when only it exists, or sluice.yml has no `name:`)
// dbt's `dbt_project.yml` — paths, vars, and the folder-level model configs (materialization,
// tags, enabled) a model inherits from the folders it is in.
//
//   # sluice.yml                      # dbt_project.yml (read when there is no sluice.yml)
//   name: shop                        name: shop
//   paths:                            model-paths: [models]
//     models: [models]                seed-paths: [seeds]
//     seeds: [seeds]                  vars: {currency: EUR}
//   vars: {currency: EUR}             models:
//   materialized:                       shop:
//     staging: view                       +materialized: view    # or materialized:, as dbt
//     marts: table                        marts: {+materialized: table}
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { noteIgnoredKey } from '../../common/config-notices.js';
import { configFailAt } from '../../common/config-schema.js';
import { checkKeys, type KeySpec } from '../../common/key-check.js';
import { checkSluiceYmlSections, sluiceYmlOf } from '../../common/sluice-yml.js';
import type { Materialization } from '../types.js';
import { fail, materialization, nameRule, parseWith, readYaml, stringList } from './reading.js';

export const MATERIALIZATIONS: readonly Materialization[] = [
  'table',
  'view',
  'incremental',
  'ephemeral',
];

export interface ProjectConfig {
  name: string;
  modelPaths: string[];
  seedPaths: string[];
  vars: Record<string, unknown>;
  /** Folder (relative to a model path, `/`-separated, '' for the root) → materialization. */
  materialized: Map<string, Materialization>;
  /** dbt_project.yml's folder-level `+tags`: a model has those of every folder it is in. */
  folderTags?: Map<string, string[]>;
  /** dbt_project.yml's folder-level `+enabled`: the innermost folder's applies. */
  folderEnabled?: Map<string, boolean>;
  /** The file the config came from, relative to the project. */
  file: string;
  /** dbt's `macro-paths` (default `macros`): read only to name a macro a model calls. */
  macroPaths?: string[];
  /** Where singular data tests live (`tests/*.sql`, dbt's `test-paths`); default `tests`. */
  testPaths?: string[];
  /** dbt's `snapshot-paths`: snapshots are not supported, and refused rather than skipped. */
  snapshotPaths?: string[];
  /** `openlineage:` in sluice.yml: where a build's run events go (header values may hold ${VAR}). */
  openlineage?: {
    url?: string;
    /** Relative to the project directory. */
    file?: string;
    namespace?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  };
}

const SluiceYml = z.looseObject({
  name: nameRule,
  paths: z
    .object({
      models: stringList.default(['models']),
      seeds: stringList.default(['seeds']),
      tests: stringList.default(['tests']),
    })
    .strict()
    .default({ models: ['models'], seeds: ['seeds'], tests: ['tests'] }),
  vars: z.record(z.string(), z.unknown()).default({}),
  materialized: z.record(z.string(), materialization).default({}),
  openlineage: z
    .object({
      url: z
        .string()
        .regex(/^https?:\/\/[^\s/]+/, 'an http:// or https:// URL')
        .optional(),
      file: z.string().min(1).optional(),
      namespace: z.string().min(1).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      timeout: z
        .string()
        .regex(/^\d+(ms|s)$/, 'a duration such as 500ms or 5s')
        .transform((t) =>
          t.endsWith('ms') ? Number.parseInt(t, 10) : Number.parseInt(t, 10) * 1000,
        )
        .optional(),
    })
    .strict()
    .refine((o) => o.url !== undefined || o.file !== undefined, 'give url, file or both')
    .optional(),
});

/**
 * dbt_project.yml's keys: those Sluice reads, and dbt's others — accepted and named in the one
 * warning (`profile:`, `target-path:`, `seeds:` …), so a dbt project runs as it is.
 */
const DBT_PROJECT_KEYS: KeySpec = {
  used: [
    'name',
    'model-paths',
    'seed-paths',
    'macro-paths',
    'test-paths',
    'snapshot-paths',
    'vars',
    'models',
  ],
  dbt: [
    'version',
    'config-version',
    'profile',
    'require-dbt-version',
    'analysis-paths',
    'asset-paths',
    'docs-paths',
    'function-paths',
    'packages-install-path',
    'target-path',
    'log-path',
    'clean-targets',
    'dispatch',
    'flags',
    'on-run-start',
    'on-run-end',
    'query-comment',
    'quoting',
    'restrict-access',
    'dbt-cloud',
    'seeds',
    'snapshots',
    'sources',
    'tests',
    'data_tests',
    'unit_tests',
    'exposures',
    'metrics',
    'semantic-models',
    'saved-queries',
    'functions',
  ],
  // dbt < 1.0's names: dbt 1.x no longer reads them either.
  synonyms: { 'source-paths': 'model-paths', 'data-paths': 'seed-paths', packages: 'models' },
};

const DbtProjectYml = z.looseObject({
  name: nameRule,
  'model-paths': stringList.default(['models']),
  'seed-paths': stringList.default(['seeds']),
  'macro-paths': stringList.default(['macros']),
  'test-paths': stringList.default(['tests']),
  'snapshot-paths': stringList.default(['snapshots']),
  vars: z.record(z.string(), z.unknown()).default({}),
  models: z.record(z.string(), z.unknown()).default({}),
});

/** Folder-level model configs (folder relative to a model path, `/`-separated, '' the root). */
interface FolderConfig {
  materialized: Map<string, Materialization>;
  tags: Map<string, string[]>;
  enabled: Map<string, boolean>;
}

/**
 * `models: {shop: {+materialized: view, marts: {+materialized: table, +tags: [daily]}}}` → per
 * folder. dbt's configs are written with a `+` (or, for these, without: jaffle_shop's style);
 * other configs (`+schema`, `+docs` …) mean nothing on a branch: accepted, and named in the one
 * warning of dbt keys Sluice does not use yet.
 */
function dbtFolderConfig(
  tree: unknown,
  project: string,
  file: string,
  lineAt: (path: (string | number)[]) => number,
): FolderConfig {
  const out: FolderConfig = { materialized: new Map(), tags: new Map(), enabled: new Map() };
  const walk = (node: unknown, folder: string[], path: string[]): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const key = k.replace(/^\+/, '');
      const bad = (want: string): never =>
        fail(file, lineAt([...path, k]), `${[...path, k].join('.')}: ${want}`);
      if (key === 'materialized') {
        const m = materialization.safeParse(v);
        if (!m.success) bad(`one of ${MATERIALIZATIONS.join(', ')}`);
        out.materialized.set(folder.join('/'), m.data as Materialization);
      } else if (key === 'tags') {
        const tags = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string'))
          bad('a tag or a list of tags');
        out.tags.set(folder.join('/'), tags as string[]);
      } else if (key === 'enabled') {
        if (typeof v !== 'boolean') bad('true or false');
        out.enabled.set(folder.join('/'), v as boolean);
      } else if (!k.startsWith('+') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        walk(v, [...folder, k], [...path, k]);
      } else {
        // A config dbt reads (`+schema`, `+docs`, `+persist_docs` …) that means nothing here.
        noteIgnoredKey({ file, line: lineAt([...path, k]), key: [...path, k].join('.') });
      }
    }
  };
  // The top level names packages: this project's config applies to its models.
  const own = (tree as Record<string, unknown>)[project];
  walk(own, [], ['models', project]);
  return out;
}

/** The project's config: sluice.yml (or sluice.yaml), else dbt_project.yml; neither is a ProjectError. */
export function loadProjectConfig(dir: string): ProjectConfig {
  const sluice = sluiceYmlOf(dir);
  if (sluice) {
    const { y, doc, lineAt } = readYaml(readFileSync(join(dir, sluice), 'utf8'), sluice);
    checkSluiceYmlSections(y, configFailAt(sluice));
    const raw = doc.toJS() ?? {};
    if (
      raw &&
      typeof raw === 'object' &&
      !('name' in raw) &&
      existsSync(join(dir, 'dbt_project.yml'))
    )
      return loadDbtProject(dir);
    const c = parseWith(SluiceYml, raw, sluice, lineAt);
    return {
      name: c.name,
      modelPaths: c.paths.models,
      seedPaths: c.paths.seeds,
      testPaths: c.paths.tests,
      vars: c.vars,
      materialized: new Map(
        Object.entries(c.materialized).map(([k, v]) => [k.replace(/^\/+|\/+$/g, ''), v]),
      ),
      file: sluice,
      ...(c.openlineage
        ? {
            openlineage: {
              ...(c.openlineage.url ? { url: c.openlineage.url } : {}),
              ...(c.openlineage.file ? { file: c.openlineage.file } : {}),
              ...(c.openlineage.namespace ? { namespace: c.openlineage.namespace } : {}),
              ...(c.openlineage.headers ? { headers: c.openlineage.headers } : {}),
              ...(c.openlineage.timeout !== undefined ? { timeoutMs: c.openlineage.timeout } : {}),
            },
          }
        : {}),
    };
  }
  if (existsSync(join(dir, 'dbt_project.yml'))) return loadDbtProject(dir);
  return fail('sluice.yml', undefined, `no sluice.yml or dbt_project.yml in ${dir}`);
}

/** dbt_project.yml: its paths, vars and the folder configs of this project's `models:`. */
function loadDbtProject(dir: string): ProjectConfig {
  const file = 'dbt_project.yml';
  const { y, doc, lineAt } = readYaml(readFileSync(join(dir, file), 'utf8'), file);
  checkKeys(y, y.value, [], DBT_PROJECT_KEYS, configFailAt(file));
  const c = parseWith(DbtProjectYml, doc.toJS() ?? {}, file, lineAt);
  return {
    name: c.name,
    modelPaths: c['model-paths'],
    seedPaths: c['seed-paths'],
    vars: c.vars,
    ...(({ materialized, tags, enabled }) => ({
      materialized,
      ...(tags.size > 0 ? { folderTags: tags } : {}),
      ...(enabled.size > 0 ? { folderEnabled: enabled } : {}),
    }))(dbtFolderConfig(c.models, c.name, file, lineAt)),
    file,
    macroPaths: c['macro-paths'],
    testPaths: c['test-paths'],
    snapshotPaths: c['snapshot-paths'],
  };
}

/** A model's folder-level materialization: the longest configured folder prefix, else view. */
export function folderMaterialization(config: ProjectConfig, folder: string): Materialization {
  return innermost(config.materialized, folder) ?? 'view';
}

const inFolder = (f: string, folder: string): boolean =>
  f === '' || folder === f || folder.startsWith(`${f}/`);

/** The value set for the innermost folder containing `folder` (longest prefix). */
function innermost<T>(byFolder: Map<string, T> | undefined, folder: string): T | undefined {
  let best: { len: number; v: T } | undefined;
  for (const [f, v] of byFolder ?? [])
    if (inFolder(f, folder) && f.length > (best?.len ?? -1)) best = { len: f.length, v };
  return best?.v;
}

/** A model's folder-level tags (every enclosing folder's, as dbt adds them up) and `enabled`. */
export function folderModelConfig(
  config: ProjectConfig,
  folder: string,
): { tags: string[]; enabled?: boolean } {
  const tags = [...(config.folderTags ?? [])].flatMap(([f, t]) => (inFolder(f, folder) ? t : []));
  const enabled = innermost(config.folderEnabled, folder);
  return { tags, ...(enabled !== undefined ? { enabled } : {}) };
}
