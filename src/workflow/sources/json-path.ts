// The small JSON path a REST ingestor uses to find things in a response body: `$` (the body
// itself), `$.a.b`, `$.a[0].b`, `$['odd key']`. No wildcards or filters: a path names one value,
// so "where are the records" has exactly one answer.

export type JsonPathSegment = string | number;

export interface JsonPath {
  /** As written, for messages. */
  readonly text: string;
  readonly segments: readonly JsonPathSegment[];
}

/** Parses a path; a string describing what is wrong when it is not one. */
export function parseJsonPath(text: string): JsonPath | string {
  if (!text.startsWith('$')) return 'a JSON path starts with $ (e.g. $.data.items)';
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      const m = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i + 1));
      if (!m) return `expected a name after "." at character ${i + 1} of ${text}`;
      segments.push(m[0]);
      i += 1 + m[0].length;
    } else if (ch === '[') {
      const rest = text.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        segments.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        return `expected [index] or ['name'] at character ${i + 1} of ${text}`;
      }
    } else {
      return `unexpected ${JSON.stringify(ch)} at character ${i + 1} of ${text}`;
    }
  }
  return { text, segments };
}

/** The value a path names in `value`, or undefined when any step is missing. */
export function evalJsonPath(path: JsonPath, value: unknown): unknown {
  let cur: unknown = value;
  for (const seg of path.segments) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      if (!Object.hasOwn(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}
