// Properties files (`models/**/*.yml`): the `models:` and `seeds:` entries that describe a table
// (description, columns, config, tags), the `sources:` a project reads and the `exposures:` that
// depend on it. Each entry keeps its file and line for errors; descriptions have their
// `{{ doc('…') }}` resolved. The files' tests are read by the graph (quality CheckSpecs).
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import * as z from 'zod';
import { configFailAt } from '../../common/config-schema.js';
import { checkKeys } from '../../common/key-check.js';
import { PROPERTIES_FILE } from '../../quality/properties-keys.js';
import type {
  Duration,
  Exposure,
  ModelConfig,
  ModelProperties,
  Reference,
  SourceTable,
} from '../project.js';
import type { ColumnDoc, DocBlock } from '../types.js';
import { resolveDocs } from './docs.js';
import { fail, materialization, nameRule, parseWith, readYaml, stringList } from './reading.js';

/** What the properties files describe, by name (sources by `source.table`). */
export interface Properties {
  properties: Map<string, ModelProperties>;
  sources: Map<string, SourceTable>;
  exposures: Map<string, Exposure>;
  /** The properties files read, relative paths: their tests are the checks. */
  propertyFiles: string[];
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

/** One properties file being read: where it is, its YAML, and its descriptions' resolution. */
interface PropertiesFile {
  path: string;
  lineOf: (node: unknown) => number;
  lineAt: (path: (string | number)[]) => number;
  /** A description at a path of this file, its `{{ doc('…') }}` resolved. */
  describe: (text: string, at: (string | number)[]) => string;
  /** The YAML nodes of a top-level list (for the entries' lines). */
  seqItems: (key: string) => Node[];
}

/** Reads one properties file into `into`; a problem is a ProjectError with the file and line. */
export function readPropertiesFile(
  text: string,
  path: string,
  docs: Map<string, DocBlock>,
  into: Properties,
): void {
  into.propertyFiles.push(path);
  const { y, doc, lineOf, lineAt } = readYaml(text, path);
  // Unknown keys are refused (with the nearest known one) and dbt's unused ones noted, first.
  checkKeys(y, y.value, [], PROPERTIES_FILE, configFailAt(path));
  const top = parseWith(PropertiesYml, doc.toJS() ?? {}, path, lineAt);
  const file: PropertiesFile = {
    path,
    lineOf,
    lineAt,
    describe: (text, at) => resolveDocs(text, docs, path, lineAt([...at, 'description'])),
    seqItems: (key) => {
      const n = (doc.contents as YAMLMap | null)?.get?.(key, true) as Node | undefined;
      return n && isSeq(n) ? (n.items as Node[]) : [];
    },
  };
  // `models:` and `seeds:` entries describe a table (seed names cannot clash with models').
  readTableEntries(file, 'models', top.models, into.properties);
  readTableEntries(file, 'seeds', top.seeds, into.properties);
  readSources(file, top.sources, into.sources);
  readExposures(file, top.exposures, into.exposures);
}

function readTableEntries(
  f: PropertiesFile,
  section: 'models' | 'seeds',
  entries: unknown[],
  properties: Map<string, ModelProperties>,
): void {
  const { path } = f;
  const entryNodes = f.seqItems(section);
  entries.forEach((m, i) => {
    const p = parseWith(ModelYml, m, path, f.lineAt, [section, i]);
    const at = [section, i];
    const line = f.lineOf(entryNodes[i]);
    const other = properties.get(p.name);
    if (other)
      fail(
        path,
        line,
        `${section === 'models' ? 'model' : 'seed'} ${p.name} is described twice (also ${other.file}:${other.line})`,
      );
    properties.set(p.name, {
      name: p.name,
      ...(p.description !== undefined ? { description: f.describe(p.description, at) } : {}),
      columns: columnsOf(p.columns, (d, j) => f.describe(d, [...at, 'columns', j])),
      config: configOf(p.config),
      tags: p.tags,
      file: path,
      line,
    });
  });
}

function readSources(
  f: PropertiesFile,
  entries: unknown[],
  sources: Map<string, SourceTable>,
): void {
  const { path } = f;
  const sourceNodes = f.seqItems('sources');
  entries.forEach((s, i) => {
    const src = parseWith(SourceYml, s, path, f.lineAt, ['sources', i]);
    const tableNodes = (() => {
      const n = sourceNodes[i];
      const t =
        n && isMap(n) ? ((n as YAMLMap).get('tables', true) as Node | undefined) : undefined;
      return t && isSeq(t) ? (t.items as Node[]) : [];
    })();
    src.tables.forEach((t, j) => {
      const at = ['sources', i, 'tables', j];
      const key = `${src.name}.${t.name}`;
      const line = f.lineOf(tableNodes[j] ?? sourceNodes[i]);
      if (sources.has(key)) fail(path, line, `source ${key} is declared twice`);
      const fresh = t.freshness === undefined ? src.freshness : t.freshness;
      const warnAfter = duration(fresh?.warn_after);
      const errorAfter = duration(fresh?.error_after);
      const loadedAt = t.loaded_at_field ?? src.loaded_at_field;
      sources.set(key, {
        source: src.name,
        name: t.name,
        identifier: t.identifier ?? t.name,
        ...(t.description !== undefined ? { description: f.describe(t.description, at) } : {}),
        ...(loadedAt !== undefined ? { loadedAtField: loadedAt } : {}),
        ...(warnAfter || errorAfter
          ? {
              freshness: {
                ...(warnAfter ? { warnAfter } : {}),
                ...(errorAfter ? { errorAfter } : {}),
              },
            }
          : {}),
        columns: columnsOf(t.columns, (d, k) => f.describe(d, [...at, 'columns', k])),
        file: path,
        line,
      });
    });
  });
}

function readExposures(
  f: PropertiesFile,
  entries: unknown[],
  exposures: Map<string, Exposure>,
): void {
  const { path } = f;
  const exposureNodes = f.seqItems('exposures');
  entries.forEach((e, i) => {
    const x = parseWith(ExposureYml, e, path, f.lineAt, ['exposures', i]);
    const line = f.lineOf(exposureNodes[i]);
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
        ? { description: f.describe(x.description, ['exposures', i]) }
        : {}),
      ...(x.label !== undefined ? { label: x.label } : {}),
      ...(x.maturity !== undefined ? { maturity: x.maturity } : {}),
      dependsOn,
      file: path,
      line,
    });
  });
}
