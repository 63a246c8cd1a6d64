// The one YAML reader of every file a user writes (sluice.yml, dbt_project.yml, properties and
// checks files, ingestors/*.yml): the document with the line of every node, so each layer's
// errors name `file:line`. Malformed YAML is reported through the caller's `fail`, which throws
// the layer's own error class (InvalidConfigError, ProjectError, CheckSpecError).
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { errorLine } from './error-line.js';

export type YamlPath = (string | number)[];

/** Throws the caller's error for a problem at `line` of the file (`field`: a dotted path or ''). */
export type FailAt = (line: number, field: string, reason: string) => never;

export interface YamlFile {
  /** The file's name as messages show it. */
  file: string;
  doc: Document.Parsed;
  /** The document as plain data (undefined for an empty file). */
  value: unknown;
  /** The line a node starts on (1 when it has none). */
  lineOf(node: unknown): number;
  /**
   * The line of the node at `path`, or of the nearest ancestor that exists; with `key`, the line
   * of that key inside the mapping at `path` (where an unknown key is reported).
   */
  lineAt(path: YamlPath, key?: string): number;
}

/** `a.b[2].c`: a path as a field name in messages. */
export function formatField(path: YamlPath): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : String(p)),
    '',
  );
}

/** Parses YAML text; malformed YAML is `fail(line, '', 'malformed YAML: …')`. */
export function readYamlText(text: string, file: string, fail: FailAt): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    // With prettyErrors off the parser leaves `linePos` unset: the line comes from the offset.
    const line = e?.linePos?.[0]?.line ?? (e?.pos ? lines.linePos(e.pos[0]).line : 1);
    fail(line, '', `malformed YAML: ${errorLine(e?.message ?? 'unreadable')}`);
  }
  const lineOfRange = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number] } | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  let value: unknown;
  try {
    value = doc.toJS() ?? undefined;
  } catch (err) {
    // The parser accepts what only converting finds wrong: an alias to no anchor (`*x`), a merge
    // key of a scalar, an alias loop.
    fail(1, '', `malformed YAML: ${errorLine(err)}`);
  }
  return {
    file,
    doc,
    value,
    lineOf: (node) => lineOfRange(node) ?? 1,
    lineAt(path, key) {
      if (key !== undefined) {
        const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
        if (isMap(map)) {
          const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
          const line = lineOfRange(pair?.key);
          if (line) return line;
        }
      }
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        const line = lineOfRange(node);
        if (line) return line;
      }
      return 1;
    },
  };
}
