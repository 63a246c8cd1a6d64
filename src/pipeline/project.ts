// A project on disk, in dbt's layout: `sluice.yml` (or, when only it exists, `dbt_project.yml`),
// `models/**/*.sql`, `models/**/*.yml` and `models/**/*.md` (docs blocks), `seeds/*.csv`. Loading
// reads and validates every file — a problem is a ProjectError naming the file and line — and
// keeps the text of each, so a build can snapshot exactly the files it used.
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
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { z } from 'zod';
import { ProjectError } from '../common/errors.js';
import { readYamlText } from '../common/yaml-file.js';
import type { ColumnDoc, DocBlock, Materialization } from './types.js';

export const MATERIALIZATIONS: readonly Materialization[] = [
  'table',
  'view',
  'incremental',
  'ephemeral',
];
const materialization = z.enum(['table', 'view', 'incremental', 'ephemeral']);

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

const fail = (file: string, line: number | undefined, reason: string): never => {
  throw new ProjectError(`${file}${line ? `:${line}` : ''}: ${reason}`, {
    file,
    ...(line ? { line } : {}),
    reason,
  });
};

const toPosix = (p: string): string => p.split(sep).join('/');

/** A YAML document with line numbers for its nodes; malformed YAML is a ProjectError. */
function readYaml(text: string, file: string) {
  const y = readYamlText(text, file, (line, _field, reason) => fail(file, line, reason));
  return { doc: y.doc, lineOf: y.lineOf, lineAt: (path: (string | number)[]) => y.lineAt(path) };
}

function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string,
  lineAt: (path: (string | number)[]) => number,
  base: (string | number)[] = [],
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [...base, ...((issue?.path ?? []) as (string | number)[])];
  return fail(file, lineAt(path), `${path.join('.') || '(top)'}: ${issue?.message}`);
}

const nameRule = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name of letters, digits and _');
const stringList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

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

// Other keys (config-version, version, profile, target-path, clean-targets, analysis-paths,
// require-dbt-version, seeds:, …) are accepted and not used.
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
 * other `+` keys (`+schema`, `+docs` …) mean nothing on a branch and are accepted.
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
      } else if (!k.startsWith('+')) {
        walk(v, [...folder, k], [...path, k]);
      }
    }
  };
  // The top level names packages: this project's config applies to its models.
  const own = (tree as Record<string, unknown>)[project];
  walk(own, [], ['models', project]);
  return out;
}

export function loadProjectConfig(dir: string): ProjectConfig {
  const sluice = ['sluice.yml', 'sluice.yaml'].find((f) => existsSync(join(dir, f)));
  if (sluice) {
    const { doc, lineAt } = readYaml(readFileSync(join(dir, sluice), 'utf8'), sluice);
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

function loadDbtProject(dir: string): ProjectConfig {
  const file = 'dbt_project.yml';
  const { doc, lineAt } = readYaml(readFileSync(join(dir, file), 'utf8'), file);
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

/** Files under `root` (recursively, sorted, hidden ones skipped) whose name matches. */
function walk(root: string, match: RegExp): string[] {
  const out: string[] = [];
  const go = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) go(p);
      else if (match.test(n)) out.push(p);
    }
  };
  go(root);
  return out;
}

const ColumnYml = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  data_type: z.string().optional(),
});

const ConfigYml = z.looseObject({
  materialized: materialization.optional(),
  tags: stringList.optional(),
  unique_key: stringList.optional(),
  contract: z.looseObject({ enforced: z.boolean().default(false) }).optional(),
  alias: nameRule.optional(),
  enabled: z.boolean().optional(),
});

const ModelYml = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  columns: z.array(ColumnYml).default([]),
  config: ConfigYml.default({}),
  tags: stringList.default([]),
});

const DurationYml = z.looseObject({
  count: z.number().int().positive(),
  period: z.enum(['minute', 'hour', 'day']),
});
const FreshnessYml = z
  .looseObject({ warn_after: DurationYml.optional(), error_after: DurationYml.optional() })
  .nullable();

const SourceYml = z.looseObject({
  name: nameRule,
  description: z.string().optional(),
  loaded_at_field: z.string().optional(),
  freshness: FreshnessYml.optional(),
  tables: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        identifier: z.string().optional(),
        description: z.string().optional(),
        loaded_at_field: z.string().optional(),
        freshness: FreshnessYml.optional(),
        columns: z.array(ColumnYml).default([]),
      }),
    )
    .default([]),
});

const ExposureYml = z.looseObject({
  name: nameRule,
  type: z.enum(['dashboard', 'notebook', 'analysis', 'ml', 'application']),
  owner: z.looseObject({ name: z.string().optional(), email: z.string().optional() }),
  url: z.string().optional(),
  description: z.string().optional(),
  label: z.string().optional(),
  maturity: z.string().optional(),
  depends_on: z.array(z.string()).default([]),
});

const PropertiesYml = z.looseObject({
  version: z.union([z.literal(2), z.literal('2')]).optional(),
  models: z.array(z.unknown()).default([]),
  seeds: z.array(z.unknown()).default([]),
  sources: z.array(z.unknown()).default([]),
  exposures: z.array(z.unknown()).default([]),
});

/** `ref('x')`, `ref("x")`, `source('s', 't')` as written in YAML (exposures, relationships). */
export function parseReference(text: string): Reference | undefined {
  const ref = /^\s*ref\s*\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(text);
  if (ref) return { kind: 'ref', name: ref[1] as string };
  const src = /^\s*source\s*\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(text);
  if (src) return { kind: 'source', source: src[1] as string, table: src[2] as string };
  return undefined;
}

const duration = (d: z.infer<typeof DurationYml> | undefined): Duration | undefined =>
  d ? { count: d.count, period: d.period } : undefined;

const columnsOf = (
  cols: z.infer<typeof ColumnYml>[],
  describe: (text: string, i: number) => string = (text) => text,
): ColumnDoc[] =>
  cols.map((c, i) => ({
    name: c.name,
    ...(c.description !== undefined ? { description: describe(c.description, i) } : {}),
    ...(c.data_type !== undefined ? { dataType: c.data_type } : {}),
  }));

function configOf(c: z.infer<typeof ConfigYml>): Partial<ModelConfig> {
  const out: Partial<ModelConfig> = {};
  if (c.materialized) out.materialized = c.materialized;
  if (c.tags) out.tags = c.tags;
  if (c.unique_key) out.uniqueKey = c.unique_key;
  if (c.contract) out.contractEnforced = c.contract.enforced;
  if (c.alias) out.alias = c.alias;
  if (c.enabled !== undefined) out.enabled = c.enabled;
  return out;
}

/** A docs block as `.md` files under the model paths define it (`{% docs name %}…{% enddocs %}`). */
const DOCS_BLOCK =
  /\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
const DOC_CALL = /\{\{-?\s*doc\s*\(\s*(['"])([^'"]*)\1\s*\)\s*-?\}\}/g;

/** The docs blocks of one `.md` file, added to `into` (a name defined twice is an error). */
function readDocs(text: string, file: string, path: string, into: Map<string, DocBlock>): void {
  for (const m of text.matchAll(DOCS_BLOCK)) {
    const name = m[1] as string;
    const line = text.slice(0, m.index).split('\n').length;
    const other = into.get(name);
    if (other)
      fail(file, line, `docs block ${name} is defined twice (also ${other.file}:${other.line})`);
    // dbt strips the block's text.
    into.set(name, { text: (m[2] as string).trim(), file, path, line });
  }
}

/** A description with each `{{ doc('name') }}` replaced by that docs block's text. */
function resolveDocs(
  text: string,
  docs: Map<string, DocBlock>,
  file: string,
  line: number,
): string {
  return text.replace(DOC_CALL, (_, _q: string, name: string) => {
    const block = docs.get(name);
    if (!block)
      fail(
        file,
        line,
        `doc(${JSON.stringify(name)}): no {% docs ${name} %} block in a .md file under the model paths (docs: ${[...docs.keys()].sort().join(', ') || 'none'})`,
      );
    return (block as DocBlock).text;
  });
}

const MACRO_DEF = /\{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;

/**
 * The singular data tests under the test paths. What `dbt build` would also run from there and
 * Sluice does not (custom generic tests) is refused with the file, not skipped: a build must not
 * report a project's tests as passed when some never ran.
 */
function loadSingularTests(
  dir: string,
  config: ProjectConfig,
  files: Map<string, string>,
): Map<string, ModelFile> {
  const out = new Map<string, ModelFile>();
  for (const tp of config.testPaths ?? []) {
    const root = join(dir, tp);
    for (const abs of walk(root, /\.sql$/i)) {
      const path = toPosix(relative(dir, abs));
      const sql = readFileSync(abs, 'utf8');
      const generic = /\{%-?\s*test\s+[A-Za-z_]/.exec(sql);
      if (generic)
        fail(
          path,
          sql.slice(0, generic.index).split('\n').length,
          'custom generic tests ({% test %}) are not supported: use a built-in test or a sql test ({query: …}) in a properties file',
        );
      const name = basename(abs).replace(/\.sql$/i, '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(path, undefined, `test name ${JSON.stringify(name)}: use letters, digits and _`);
      const other = out.get(name);
      if (other) fail(path, undefined, `a test named ${name} exists already (${other.path})`);
      const folder = toPosix(relative(root, abs)).split('/').slice(0, -1).join('/');
      out.set(name, { name, path, folder, sql });
      files.set(path, sql);
    }
  }
  return out;
}

/** Snapshots are refused with the file, not skipped (see loadSingularTests). */
function refuseSnapshots(dir: string, config: ProjectConfig): void {
  for (const sp of config.snapshotPaths ?? []) {
    const [abs] = walk(join(dir, sp), /\.sql$/i);
    if (abs)
      fail(
        toPosix(relative(dir, abs)),
        undefined,
        'snapshots are not supported (yet): move it out of the snapshot paths to build without it',
      );
  }
}

/** Loads and validates a project directory. */
export function loadProject(dir: string): Project {
  const config = loadProjectConfig(dir);
  refuseSnapshots(dir, config);
  const files = new Map<string, string>();
  files.set(config.file, readFileSync(join(dir, config.file), 'utf8'));
  // Docs blocks first: properties' descriptions name them (`'{{ doc("orders_status") }}'`).
  const docs = new Map<string, DocBlock>();
  for (const mp of config.modelPaths) {
    for (const abs of walk(join(dir, mp), /\.md$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      readDocs(text, path, toPosix(relative(join(dir, mp), abs)), docs);
      files.set(path, text);
    }
  }
  const macros = new Map<string, { file: string; line: number }>();
  for (const mp of config.macroPaths ?? ['macros']) {
    for (const abs of walk(join(dir, mp), /\.sql$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      for (const m of text.matchAll(MACRO_DEF))
        macros.set(m[1] as string, {
          file: path,
          line: text.slice(0, m.index).split('\n').length,
        });
    }
  }
  const models = new Map<string, ModelFile>();
  const properties = new Map<string, ModelProperties>();
  const sources = new Map<string, SourceTable>();
  const exposures = new Map<string, Exposure>();
  const propertyFiles: string[] = [];

  for (const mp of config.modelPaths) {
    const root = join(dir, mp);
    for (const abs of walk(root, /\.sql$/i)) {
      const path = toPosix(relative(dir, abs));
      const name = basename(abs).replace(/\.sql$/i, '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(path, undefined, `model name ${JSON.stringify(name)}: use letters, digits and _`);
      const other = models.get(name);
      if (other) fail(path, undefined, `a model named ${name} exists already (${other.path})`);
      const sql = readFileSync(abs, 'utf8');
      const folder = toPosix(relative(root, abs)).split('/').slice(0, -1).join('/');
      models.set(name, { name, path, folder, sql });
      files.set(path, sql);
    }
    for (const abs of walk(root, /\.ya?ml$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      files.set(path, text);
      propertyFiles.push(path);
      const { doc, lineOf, lineAt } = readYaml(text, path);
      const top = parseWith(PropertiesYml, doc.toJS() ?? {}, path, lineAt);
      /** A description at a path of this file, its `{{ doc('…') }}` resolved. */
      const describe = (text: string, at: (string | number)[]): string =>
        resolveDocs(text, docs, path, lineAt([...at, 'description']));
      const seqItems = (key: string): Node[] => {
        const n = (doc.contents as YAMLMap | null)?.get?.(key, true) as Node | undefined;
        return n && isSeq(n) ? (n.items as Node[]) : [];
      };
      // `models:` and `seeds:` entries describe a table (seed names cannot clash with models').
      for (const section of ['models', 'seeds'] as const) {
        const entryNodes = seqItems(section);
        top[section].forEach((m, i) => {
          const p = parseWith(ModelYml, m, path, lineAt, [section, i]);
          const at = [section, i];
          const line = lineOf(entryNodes[i]);
          const other = properties.get(p.name);
          if (other)
            fail(
              path,
              line,
              `${section === 'models' ? 'model' : 'seed'} ${p.name} is described twice (also ${other.file}:${other.line})`,
            );
          properties.set(p.name, {
            name: p.name,
            ...(p.description !== undefined ? { description: describe(p.description, at) } : {}),
            columns: columnsOf(p.columns, (d, j) => describe(d, [...at, 'columns', j])),
            config: configOf(p.config),
            tags: p.tags,
            file: path,
            line,
          });
        });
      }
      const sourceNodes = seqItems('sources');
      top.sources.forEach((s, i) => {
        const src = parseWith(SourceYml, s, path, lineAt, ['sources', i]);
        const tableNodes = (() => {
          const n = sourceNodes[i];
          const t =
            n && isMap(n) ? ((n as YAMLMap).get('tables', true) as Node | undefined) : undefined;
          return t && isSeq(t) ? (t.items as Node[]) : [];
        })();
        src.tables.forEach((t, j) => {
          const at = ['sources', i, 'tables', j];
          const key = `${src.name}.${t.name}`;
          const line = lineOf(tableNodes[j] ?? sourceNodes[i]);
          if (sources.has(key)) fail(path, line, `source ${key} is declared twice`);
          const fresh = t.freshness === undefined ? src.freshness : t.freshness;
          const warnAfter = duration(fresh?.warn_after);
          const errorAfter = duration(fresh?.error_after);
          const loadedAt = t.loaded_at_field ?? src.loaded_at_field;
          sources.set(key, {
            source: src.name,
            name: t.name,
            identifier: t.identifier ?? t.name,
            ...(t.description !== undefined ? { description: describe(t.description, at) } : {}),
            ...(loadedAt !== undefined ? { loadedAtField: loadedAt } : {}),
            ...(warnAfter || errorAfter
              ? {
                  freshness: {
                    ...(warnAfter ? { warnAfter } : {}),
                    ...(errorAfter ? { errorAfter } : {}),
                  },
                }
              : {}),
            columns: columnsOf(t.columns, (d, k) => describe(d, [...at, 'columns', k])),
            file: path,
            line,
          });
        });
      });
      const exposureNodes = seqItems('exposures');
      top.exposures.forEach((e, i) => {
        const x = parseWith(ExposureYml, e, path, lineAt, ['exposures', i]);
        const line = lineOf(exposureNodes[i]);
        if (exposures.has(x.name)) fail(path, line, `exposure ${x.name} is declared twice`);
        const dependsOn = x.depends_on.map((d) => {
          const r = parseReference(d);
          if (!r)
            fail(
              path,
              line,
              `exposure ${x.name}: depends_on ${JSON.stringify(d)} is not ref('…') or source('…', '…')`,
            );
          return r as Reference;
        });
        exposures.set(x.name, {
          name: x.name,
          type: x.type,
          owner: x.owner,
          ...(x.url !== undefined ? { url: x.url } : {}),
          ...(x.description !== undefined
            ? { description: describe(x.description, ['exposures', i]) }
            : {}),
          ...(x.label !== undefined ? { label: x.label } : {}),
          ...(x.maturity !== undefined ? { maturity: x.maturity } : {}),
          dependsOn,
          file: path,
          line,
        });
      });
    }
  }

  const seeds = new Map<string, SeedFile>();
  for (const sp of config.seedPaths) {
    for (const abs of walk(join(dir, sp), /\.csv$/i)) {
      const path = toPosix(relative(dir, abs));
      const name = basename(abs).replace(/\.csv$/i, '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(path, undefined, `seed name ${JSON.stringify(name)}: use letters, digits and _`);
      if (seeds.has(name) || models.has(name))
        fail(
          path,
          undefined,
          `${name} is both a seed and ${seeds.has(name) ? 'another seed' : 'a model'}`,
        );
      seeds.set(name, { name, path });
      files.set(path, readFileSync(abs, 'utf8'));
    }
  }
  // A `models:` entry may describe a table no model builds (an ingested table): its tests are
  // `sluice check`'s, and a build leaves it alone.
  const singularTests = loadSingularTests(dir, config, files);
  return {
    dir,
    config,
    models,
    seeds,
    properties,
    sources,
    exposures,
    propertyFiles,
    singularTests,
    docs,
    files,
    macros,
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
