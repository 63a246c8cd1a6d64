// Great Expectations import: a GX expectation suite becomes the check YAML of one table.
//
// Both suite formats are read: GX 0.x (`expectation_suite_name`, each expectation an
// `expectation_type` with `kwargs`) and GX 1.x (`name`, each expectation a `type` with `kwargs`, or
// with its arguments at the top level as the 1.x classes serialise them). Each expectation maps
// to one check (gx-expectations.ts: the mapping table). The result is dbt-style YAML, written with
// comments naming the expectation each test came from, and read back with `parseSpecText` — the
// same code that reads hand-written YAML — so an import is valid exactly when the YAML is.
//
// Nothing is dropped silently: an expectation without a Sluice equivalent, an argument that would
// change the verdict and cannot be carried over (a pandas `row_condition`, a suite parameter, a
// Python-only regex feature), or a malformed expectation makes the whole import a CheckSpecError
// that lists every such expectation by index and type.
import { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { CheckSpecError } from '../common/errors.js';
import {
  type Args,
  argsOf,
  Refusal,
  type Translated,
  translate,
  typeOf,
} from './gx-expectations.js';
import { type CheckSpec, parseSpecText } from './spec.js';

export { pythonRegexToRe2 } from './gx-expectations.js';

export interface GeImportOptions {
  /** The table the suite's expectations apply to. */
  table: string;
  /** The suite's file, named in errors (and, unless `out` is given, the specs' source). */
  file: string;
  /** Where the YAML will be saved: the source file of the returned specs. Default `file`. */
  out?: string;
}

export interface GeImport {
  /** dbt-style check YAML (`version: 2`, `models:`), one test per expectation. */
  yaml: string;
  /** The YAML parsed back, exactly as `parseSpecText` reads it. */
  specs: CheckSpec[];
}

/** Converts a GX suite (JSON text) into check YAML for `opts.table`, and parses it back. */
export function importGeSuite(json: string, opts: GeImportOptions): GeImport {
  const { table, file } = opts;
  const suite = readSuite(json, file);
  const list = suite.expectations as unknown[];
  const done = translateAll(list, file);
  const doc = suiteYaml(table, done);
  const name = suite.name ?? suite.expectation_suite_name;
  doc.commentBefore = ` Imported from the Great Expectations suite${typeof name === 'string' ? ` ${JSON.stringify(name)}` : ''} (${list.length} expectation(s)) by sluice check import-ge.`;
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const specs = parseSpecText(yaml, opts.out ?? file);
  return { yaml, specs };
}

/** The suite object, with its `expectations` list; anything else is a CheckSpecError. */
function readSuite(json: string, file: string): Args {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw specError(file, `malformed JSON: ${message}`, jsonErrorLine(json, message));
  }
  if (!root || typeof root !== 'object' || Array.isArray(root))
    throw specError(
      file,
      'expected a Great Expectations suite: an object with expectations: [...]',
    );
  const suite = root as Args;
  if (!Array.isArray(suite.expectations))
    throw specError(file, 'expected a Great Expectations suite: expectations: [...] is missing');
  return suite;
}

/** Every expectation translated — or, if any cannot be, one error listing all that cannot. */
function translateAll(list: unknown[], file: string): Translated[] {
  const done: Translated[] = [];
  const problems: string[] = [];
  list.forEach((raw, index) => {
    const gxType = typeOf(raw);
    try {
      done.push(translate(raw, index, gxType));
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      let on = '';
      try {
        const args = argsOf(raw);
        if (typeof args.column === 'string') on = ` (column ${args.column})`;
        else if (Array.isArray(args.column_list)) on = ` (columns ${args.column_list.join(', ')})`;
      } catch {
        // kwargs that are not an object: already the reason.
      }
      problems.push(`expectations[${index}] ${gxType ?? '(no type)'}${on}: ${err.message}`);
    }
  });
  if (problems.length > 0) {
    const reason =
      `${problems.length} of ${list.length} expectation(s) cannot be imported, so none were:\n` +
      problems.map((p) => `  ${p}`).join('\n');
    throw specError(file, reason);
  }
  return done;
}

/** The check YAML: one model, its table tests, and its columns' tests, in the suite's order. */
function suiteYaml(table: string, done: Translated[]): Document {
  const doc = new Document(undefined, { version: '1.1' });
  const model = new YAMLMap();
  model.set('name', table);
  const tableTests = new YAMLSeq();
  const columns = new Map<string, YAMLSeq>();
  for (const t of done) {
    const node = testNode(doc, t);
    if (t.column === undefined) tableTests.add(node);
    else {
      let seq = columns.get(t.column);
      if (!seq) {
        seq = new YAMLSeq();
        columns.set(t.column, seq);
      }
      seq.add(node);
    }
  }
  if (tableTests.items.length > 0) model.set('tests', tableTests);
  if (columns.size > 0) {
    const cols = new YAMLSeq();
    for (const [column, tests] of columns) {
      const c = new YAMLMap();
      c.set('name', column);
      c.set('tests', tests);
      cols.add(c);
    }
    model.set('columns', cols);
  }
  const top = new YAMLMap();
  top.set('version', 2);
  const models = new YAMLSeq();
  models.add(model);
  top.set('models', models);
  doc.contents = top;
  return doc;
}

/** Where a JSON syntax error is, from the engine's message (a position or a line). */
function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  return undefined;
}

function specError(file: string, reason: string, line?: number): CheckSpecError {
  return new CheckSpecError(`${file}${line ? `:${line}` : ''}: ${reason}`, {
    file,
    ...(line ? { line } : {}),
    reason,
  });
}

/** The test as YAML: a bare name, or `type: {params…, where, mostly, severity}` in flow style. */
function testNode(doc: Document, t: Translated): Scalar | YAMLMap {
  const params: Args = { ...t.params };
  if (t.where !== undefined) params.where = t.where;
  if (t.mostly !== undefined) params.mostly = t.mostly;
  if (t.severity !== undefined) params.severity = t.severity;
  let node: Scalar | YAMLMap;
  if (Object.keys(params).length === 0) node = new Scalar(t.type);
  else {
    node = new YAMLMap();
    const p = doc.createNode(params) as YAMLMap;
    p.flow = true;
    node.set(t.type, p);
  }
  const source = `expectations[${t.index}]: ${t.gxType}`;
  node.commentBefore = t.note ? ` ${source}\n ${t.note}` : ` ${source}`;
  return node;
}
