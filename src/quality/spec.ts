// Check specs in dbt's properties shape, so dbt users read and write them as they are used to:
//
//   version: 2
//   models:                      # also seeds:, and sources: → tables:
//     - name: orders
//       tests:                   # table-level (data_tests: is a synonym)
//         - row_count: {min: 1}
//       columns:
//         - name: order_id
//           tests: [not_null, unique]
//
// A test is a bare name or a one-key map `type: {params…}` (or, as dbt ≥ 1.10 writes it,
// `type: {arguments: {params…}}`); `where`, `severity`, `warn_if`, `error_if`, `mostly` and `name`
// are taken from the params or from dbt's `config:` block. Every
// problem — malformed YAML, an unknown check, a parameter of the wrong type — is a CheckSpecError
// naming the file and line, raised before any query runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { noteIgnoredKey } from '../common/config-notices.js';
import { configFailAt, unknownKeyMessage } from '../common/config-schema.js';
import { CheckSpecError } from '../common/errors.js';
import { checkKeys } from '../common/key-check.js';
import { nearest } from '../common/nearest.js';
import { readYamlText } from '../common/yaml-file.js';
import { CHECKS, type CheckDef, type CheckType, isCheckType } from './checks.js';
import { PROPERTIES_FILE, TEST_OPTIONS } from './properties-keys.js';

export type Severity = 'warn' | 'error';

/** dbt's `warn_if` / `error_if`: a comparison of the failure count, e.g. `>10`, `!=0`, `>=5%`. */
export interface Threshold {
  op: '>' | '>=' | '<' | '<=' | '=' | '!=';
  value: number;
  /** The value is a percentage of the rows checked. */
  percent: boolean;
}

export interface CheckSpec {
  /** Stable id within the project: `orders.order_id.not_null` (`#2` appended for repeats). */
  id: string;
  /** What reports show: the given name, else `not_null(order_id)`. */
  name: string;
  table: string;
  column?: string;
  type: CheckType;
  params: Record<string, unknown>;
  where?: string;
  severity: Severity;
  warnIf?: Threshold;
  errorIf?: Threshold;
  /** Fraction (0–1] of the non-null rows that must pass. */
  mostly?: number;
  source: { file: string; line: number };
}

/** A test's options (its parameters aside) Sluice honours. */
const COMMON: ReadonlySet<string> = new Set(TEST_OPTIONS.used);
/** dbt's test configs Sluice does not use yet: noted for the one warning, then dropped. */
const DBT_TEST_CONFIGS: ReadonlySet<string> = new Set(TEST_OPTIONS.dbt);

/** The error for a spec that cannot be used, named `file:line: reason`. */
export function checkSpecError(file: string, line: number, reason: string): CheckSpecError {
  return new CheckSpecError(`${file}:${line}: ${reason}`, { file, line, reason });
}

export function parseThreshold(text: string): Threshold | undefined {
  const m = /^\s*(>=|<=|!=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return undefined;
  const op = (m[1] === '==' ? '=' : m[1]) as Threshold['op'];
  return { op, value: Number(m[2]), percent: m[3] === '%' };
}

/** Parses one YAML file's checks. */
export function parseSpecText(text: string, file: string): CheckSpec[] {
  const y = readYamlText(text, file, (line, _field, reason) => {
    throw checkSpecError(file, line, reason);
  });
  // Unknown keys are refused (with the nearest known one) and dbt's unused ones noted, first.
  checkKeys(y, y.value, [], PROPERTIES_FILE, configFailAt(file));
  const { doc, lineOf } = y;
  const r: SpecReader = {
    file,
    lineOf,
    fail: (node, reason) => {
      throw checkSpecError(file, lineOf(node), reason);
    },
    seen: new Map(),
    out: [],
  };
  const root = doc.contents;
  if (root === null || root === undefined) return [];
  if (!isMap(root))
    r.fail(root, 'expected a mapping with version: 2 and models:, seeds: or sources:');
  readSections(r, root as YAMLMap);
  return r.out;
}

/** One file being read: where its nodes are, the error for a problem at one, what it found. */
interface SpecReader {
  file: string;
  lineOf(node: unknown): number;
  /** Throws the CheckSpecError `file:line: reason` for the line `node` starts on. */
  fail(node: Node | null | undefined, reason: string): never;
  /** How often each id was given in this file (a repeat gets `#2`, `#3` …). */
  seen: Map<string, number>;
  out: CheckSpec[];
}

/** A test entry's check: its type (dbt package prefixes dropped) and where its params are. */
interface TestHead {
  item: Node;
  type: CheckType;
  def: CheckDef;
  /** The node holding the parameters, if any (`type: {…}`); errors about them point here. */
  paramsNode: Node | null | undefined;
}

/** The document's sections: `models:`, `seeds:`, and `sources:` → `tables:`. */
function readSections(r: SpecReader, map: YAMLMap): void {
  readTables(r, map.get('models', true) as Node | undefined, 'models');
  readTables(r, map.get('seeds', true) as Node | undefined, 'seeds');
  const sources = map.get('sources', true) as Node | undefined;
  if (sources !== undefined) {
    if (!isSeq(sources)) r.fail(sources, 'sources: must be a list');
    for (const s of (sources as { items: Node[] }).items) {
      if (!isMap(s)) r.fail(s, 'each source is a mapping with tables:');
      readTables(r, (s as YAMLMap).get('tables', true) as Node | undefined, 'tables');
    }
  }
}

/** A section's list of tables (models, seeds, a source's tables). */
function readTables(r: SpecReader, list: Node | null | undefined, section: string): void {
  if (list === null || list === undefined) return;
  if (!isSeq(list)) r.fail(list, `${section}: must be a list`);
  for (const m of (list as { items: Node[] }).items) readTable(r, m, section);
}

/** One table: its table tests, then each column's tests. */
function readTable(r: SpecReader, m: Node, section: string): void {
  if (!isMap(m)) r.fail(m, `each entry of ${section}: is a mapping with a name`);
  const mm = m as YAMLMap;
  const nameNode = mm.get('name', true) as Node | undefined;
  const name = isScalar(nameNode) ? String(nameNode.value) : r.fail(m, 'an entry without a name');
  readTests(r, testsOf(mm), name, undefined);
  const cols = mm.get('columns', true) as Node | undefined;
  if (cols === undefined) return;
  if (!isSeq(cols)) r.fail(cols, 'columns: must be a list');
  for (const c of (cols as { items: Node[] }).items) {
    if (!isMap(c)) r.fail(c, 'each column is a mapping with a name');
    const cm = c as YAMLMap;
    const cn = cm.get('name', true) as Node | undefined;
    const col = isScalar(cn) ? String(cn.value) : r.fail(c, 'a column without a name');
    readTests(r, testsOf(cm), name, col);
  }
}

/** `tests:` (or dbt's synonym `data_tests:`) of a table or column. */
const testsOf = (m: YAMLMap): Node | undefined =>
  (m.get('tests', true) ?? m.get('data_tests', true)) as Node | undefined;

/** A list of tests of a table (`column` undefined) or of one of its columns. */
function readTests(
  r: SpecReader,
  list: Node | null | undefined,
  table: string,
  column: string | undefined,
): void {
  if (list === null || list === undefined) return;
  if (!isSeq(list)) r.fail(list, 'tests: must be a list');
  for (const item of (list as { items: Node[] }).items) readTest(r, item, table, column);
}

/** One test entry: its check, its parameters, its options; added to the file's specs. */
function readTest(r: SpecReader, item: Node, table: string, column: string | undefined): void {
  const head = testHead(r, item, column);
  const { type, def, paramsNode } = head;
  const all = mergedParams(r, head);
  if (all.enabled !== undefined && typeof all.enabled !== 'boolean')
    r.fail(paramsNode ?? item, 'enabled must be true or false');
  if (all.enabled === false) return; // disabled, as dbt leaves it out
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (DBT_TEST_CONFIGS.has(k))
      noteIgnoredKey({ file: r.file, line: r.lineOf(paramsNode ?? item), key: `${type}.${k}` });
    else if (!COMMON.has(k)) params[k] = v;
  }
  const parsed = def.params.safeParse(params, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? unknownKeyMessage(iss.keys[0] as string, [...paramKeys(def), ...COMMON])
        : undefined,
  });
  if (!parsed.success) {
    const issue =
      parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    r.fail(paramsNode ?? item, `bad parameters for ${type}${where}: ${issue?.message}`);
  }
  const o = testOptions(r, head, all);
  const p = parsed.data as Record<string, unknown>;
  const label = o.name ?? def.label(column, p);
  const base = [table, column ?? '', type].filter((s) => s !== '').join('.');
  const n = (r.seen.get(base) ?? 0) + 1;
  r.seen.set(base, n);
  r.out.push({
    id: n === 1 ? base : `${base}#${n}`,
    name: label,
    table,
    ...(column !== undefined ? { column } : {}),
    type,
    params: p,
    ...(o.where !== undefined ? { where: o.where } : {}),
    severity: o.severity,
    ...(o.warnIf ? { warnIf: o.warnIf } : {}),
    ...(o.errorIf ? { errorIf: o.errorIf } : {}),
    ...(o.mostly !== undefined ? { mostly: o.mostly } : {}),
    source: { file: r.file, line: r.lineOf(item) },
  });
}

/** The parameter names a check's schema knows (inside its refinements). */
function paramKeys(def: CheckDef): string[] {
  let schema: unknown = def.params;
  for (let i = 0; i < 4 && schema; i++) {
    const d = (schema as { _zod?: { def?: { shape?: object; schema?: unknown; in?: unknown } } })
      ._zod?.def;
    if (d?.shape) return Object.keys(d.shape);
    schema = d?.schema ?? d?.in;
  }
  return [];
}

/** A bare name or a single-key mapping, naming a known check that fits where it is written. */
function testHead(r: SpecReader, item: Node, column: string | undefined): TestHead {
  let type = '';
  let paramsNode: Node | null | undefined;
  if (isScalar(item) && typeof item.value === 'string') type = item.value;
  else if (isMap(item) && item.items.length === 1) {
    const pair = item.items[0] as { key: Node; value: Node | null };
    if (!isScalar(pair.key)) r.fail(item, 'a test is a name or a single-key mapping');
    type = String((pair.key as { value: unknown }).value);
    paramsNode = pair.value;
  } else {
    r.fail(
      item,
      'a test is a name (not_null) or a single-key mapping (accepted_values: {values: [...]})',
    );
  }
  type = type.replace(/^dbt_utils\./, '').replace(/^dbt_expectations\./, '');
  if (type === 'unique_combination_of_columns') type = 'unique';
  if (!isCheckType(type)) {
    const meant = nearest(type, Object.keys(CHECKS));
    r.fail(
      item,
      `unknown check ${JSON.stringify(type)}; ${meant ? `did you mean ${meant}? ` : ''}known: ${Object.keys(CHECKS).join(', ')}`,
    );
  }
  const def = CHECKS[type as CheckType];
  if (column === undefined && def.scope === 'column') {
    r.fail(item, `${type} is a column check: put it under columns: → tests:`);
  }
  if (column !== undefined && def.scope === 'table') {
    r.fail(item, `${type} is a table check: put it under the model's tests:`);
  }
  return { item, type: type as CheckType, def, paramsNode };
}

/** The test's parameters and options, with dbt's `config:` and `arguments:` blocks merged in. */
function mergedParams(
  r: SpecReader,
  { item, type, paramsNode }: TestHead,
): Record<string, unknown> {
  const raw = (paramsNode ? (paramsNode as { toJSON(): unknown }).toJSON() : {}) ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    r.fail(paramsNode ?? item, `the parameters of ${type} must be a mapping`);
  }
  const all = { ...(raw as Record<string, unknown>) };
  const config = all.config;
  if (config !== undefined) {
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      r.fail(paramsNode ?? item, 'config: must be a mapping');
    Object.assign(all, config as Record<string, unknown>);
  }
  // dbt ≥ 1.10: a generic test's parameters under `arguments:`.
  const args = all.arguments;
  if (args !== undefined) {
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      r.fail(paramsNode ?? item, 'arguments: must be a mapping');
    Object.assign(all, args as Record<string, unknown>);
  }
  return all;
}

/** The options every test may take, checked against what its kind of check can honour. */
interface TestOptions {
  severity: Severity;
  warnIf?: Threshold;
  errorIf?: Threshold;
  mostly?: number;
  where?: string;
  name?: string;
}

/** `severity`, `warn_if` / `error_if`, `mostly`, `where` and `name` of a test. */
function testOptions(r: SpecReader, head: TestHead, all: Record<string, unknown>): TestOptions {
  const { type, def } = head;
  const at = head.paramsNode ?? head.item;
  const severity = all.severity ?? 'error';
  if (severity !== 'warn' && severity !== 'error' && severity !== 'ERROR' && severity !== 'WARN')
    r.fail(at, `severity must be warn or error, not ${JSON.stringify(severity)}`);
  const threshold = (key: 'warn_if' | 'error_if'): Threshold | undefined => {
    const v = all[key];
    if (v === undefined) return undefined;
    const t = parseThreshold(String(v));
    if (!t) r.fail(at, `${key} must look like ">10", "!=0" or ">5%", not ${JSON.stringify(v)}`);
    return t;
  };
  const mostly = all.mostly;
  if (mostly !== undefined && (typeof mostly !== 'number' || !(mostly > 0 && mostly <= 1)))
    r.fail(at, `mostly must be a number in (0, 1], not ${JSON.stringify(mostly)}`);
  const where = all.where;
  if (where !== undefined && typeof where !== 'string')
    r.fail(at, 'where must be a SQL condition (a string)');
  // Options a check type cannot honour are refused, never silently ignored: aggregates and
  // whole-table checks have no failing rows to count or share out, and a custom query
  // carries its own WHERE.
  const rowsCounted = def.kind === 'rows' || def.kind === 'unique' || def.kind === 'relationship';
  const refuse = (key: string, why: string): never =>
    r.fail(at, `${type} does not take ${key}: ${why}`);
  if (mostly !== undefined && !rowsCounted)
    refuse('mostly', 'it judges one value, not a share of rows');
  if (!rowsCounted && def.kind !== 'sql' && def.kind !== 'schema') {
    if (all.warn_if !== undefined) refuse('warn_if', 'use severity: warn, or its bounds');
    if (all.error_if !== undefined) refuse('error_if', 'use its bounds');
  }
  if (def.kind === 'sql' && where !== undefined) refuse('where', 'put the condition in the query');
  for (const key of ['warn_if', 'error_if'] as const) {
    if (def.kind === 'sql' && String(all[key] ?? '').includes('%'))
      refuse(`a percent ${key}`, 'there is no number of rows checked to take a share of');
  }
  const name = all.name;
  if (name !== undefined && typeof name !== 'string') r.fail(at, 'name must be a string');
  return {
    severity: String(severity).toLowerCase() as Severity,
    warnIf: threshold('warn_if'),
    errorIf: threshold('error_if'),
    ...(mostly !== undefined ? { mostly: mostly as number } : {}),
    ...(where !== undefined ? { where: where as string } : {}),
    ...(name !== undefined ? { name: name as string } : {}),
  };
}

/** Every `*.yml` / `*.yaml` under `checks/` and `models/` of a project directory, parsed. */
export function loadSpecs(projectDir: string): CheckSpec[] {
  return parseSpecFiles(
    specFilesOf(projectDir).map(({ name, text }) => {
      const f = join(projectDir, name);
      return { file: relative(process.cwd(), f) || f, text };
    }),
  );
}

/**
 * Parses check files in order (`file`: the name messages show); an id given again in a later
 * file gets `#2`, `#3` … — as one project's files are read (loadSpecs), or a repository's
 * published ones.
 */
export function parseSpecFiles(files: readonly { file: string; text: string }[]): CheckSpec[] {
  const out: CheckSpec[] = [];
  const ids = new Set<string>();
  for (const { file, text } of files) {
    for (const spec of parseSpecText(text, file)) {
      let id = spec.id;
      for (let i = 2; ids.has(id); i++) id = `${spec.id}#${i}`;
      ids.add(id);
      out.push({ ...spec, id });
    }
  }
  return out;
}

/**
 * The check files of a project directory — every `*.yml` / `*.yaml` under `checks/` and
 * `models/`, hidden ones skipped, in name order — with their path relative to it (`/`-separated).
 */
export function specFilesOf(projectDir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (rel: string): void => {
    let names: string[];
    try {
      names = readdirSync(join(projectDir, rel)).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = `${rel}/${n}`;
      if (statSync(join(projectDir, p)).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(n))
        out.push({ name: p, text: readFileSync(join(projectDir, p), 'utf8') });
    }
  };
  walk('checks');
  walk('models');
  return out;
}
