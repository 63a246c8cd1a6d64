// Reading DuckDB's own parse tree of a query (`json_serialize_sql`): the tree as plain JSON, the
// accessors that read it without trusting its shape, and its 64-bit integers kept exact.
import type { DuckSession } from '../../engine/duckdb.js';
import { sqlString } from '../../engine/duckdb.js';

export type JsonObject = { [key: string]: unknown };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObject = (v: unknown): JsonObject | undefined => (isObject(v) ? v : undefined);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
export const strings = (v: unknown): string[] => asArray(v).map(asString);
export const lower = (s: string): string => s.toLowerCase();

/** Parses `sql` with DuckDB; the tree is kept whole (for re-serializing expressions) and the one SELECT's node. */
export async function serialize(
  duck: DuckSession,
  sql: string,
): Promise<{ tree: JsonObject; node: JsonObject }> {
  const r = await duck.query(`SELECT json_serialize_sql(${sqlString(sql)}) AS j`);
  const text = String(r.rows[0]?.j ?? '');
  const tree = asObject(JSON.parse(protectBigInts(text)));
  if (tree === undefined) throw new Error('json_serialize_sql returned no parse tree');
  if (tree.error === true) {
    throw new Error(asString(tree.error_message) || 'DuckDB could not parse the SQL');
  }
  const statements = asArray(tree.statements);
  if (statements.length !== 1) {
    throw new Error(`expected one SELECT statement, got ${statements.length}`);
  }
  const node = asObject(asObject(statements[0])?.node);
  if (node === undefined) throw new Error('json_serialize_sql returned a statement without a node');
  return { tree, node };
}

// The tree carries 64-bit integers (unset query locations are UINT64_MAX; BIGINT and HUGEINT
// constants) that a JS number would round; they are kept as marked strings while the tree is
// held, and turned back into numbers when an expression is handed back to DuckDB.
const BIG = '\uE000sluice-bigint:';

function protectBigInts(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j] as string)) j++;
      const num = text.slice(i, j);
      if (/^-?\d+$/.test(num) && !Number.isSafeInteger(Number(num))) {
        out += `${text.slice(last, i)}"${BIG}${num}"`;
        last = j;
      }
      i = j;
    } else {
      i++;
    }
  }
  return out + text.slice(last);
}

export const restoreBigInts = (json: string): string =>
  json.replace(new RegExp(`"${BIG}(-?\\d+)"`, 'g'), '$1');

/** Whether an expression (outside any subquery) uses COLUMNS(…), which makes it several columns. */
export function containsColumnsStar(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsColumnsStar);
  if (!isObject(value) || value.class === 'SUBQUERY') return false;
  if (value.class === 'STAR' && value.columns === true) return true;
  return Object.values(value).some(containsColumnsStar);
}
