// The line of a file an editor shows for a record DuckDB's error names: CSV records (which may
// span lines) and JSON values, found by reading the file again.
import { createInterface } from 'node:readline';
import type { CsvOptions } from './csv-options.js';
import { contentStream, readPrefix } from './file-bytes.js';

/**
 * The line (1-based) on which CSV record `record` starts, counting the header and blank lines as
 * records the way DuckDB's error messages do, and every newline (CRLF, LF or CR, inside quotes
 * or not) as a line the way an editor does; with the text of that line (at most 120 characters).
 * Undefined when the file has fewer records or cannot be read here.
 */
export async function physicalLineOfRecord(
  file: string,
  csv: CsvOptions,
  record: number,
): Promise<{ line: number; text: string } | undefined> {
  const quote = (csv.quote ?? '"').charCodeAt(0);
  const esc = (csv.escape ?? csv.quote ?? '"').charCodeAt(0);
  const LF = 10;
  const CR = 13;
  const stream = contentStream(file);
  if (!stream) return undefined;
  let line = 1;
  let ended = 0;
  let inQuotes = false;
  let escaped = false;
  let prevCR = false;
  /** Bytes of the line at fault, once found. */
  let found: Buffer[] | undefined = record <= 1 ? [] : undefined;
  let foundSize = 0;
  const text = (): string => {
    const s = Buffer.concat(found ?? [])
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const first = s.split(/\r\n|\r|\n/)[0] ?? '';
    return first.length > 120 ? `${first.slice(0, 120)}…` : first;
  };
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      let i = 0;
      if (!found) {
        for (; i < buf.length; i++) {
          const b = buf[i] as number;
          if (b === LF || b === CR) {
            const crlf = b === LF && prevCR;
            prevCR = b === CR;
            if (crlf) continue;
            line++;
            if (!inQuotes && ++ended === record - 1) {
              i += b === CR && buf[i + 1] === LF ? 2 : 1;
              found = [];
              break;
            }
            continue;
          }
          prevCR = false;
          if (inQuotes) {
            if (escaped) escaped = false;
            else if (esc !== quote && b === esc) escaped = true;
            else if (b === quote) inQuotes = false;
          } else if (b === quote) inQuotes = true;
        }
      }
      if (found) {
        const rest = buf.subarray(i);
        found.push(rest);
        foundSize += rest.length;
        if (foundSize >= 1024 || rest.includes(LF) || rest.includes(CR))
          return { line, text: text() };
      }
    }
  } finally {
    stream.destroy();
  }
  return found ? { line, text: text() } : undefined;
}

/** JSON files (not NDJSON) up to this size are parsed again to find the line of a syntax error. */
const JSON_LINE_SCAN_MAX = 256 * 1024 * 1024;

/**
 * The line of the first syntax error in a JSON or NDJSON file. DuckDB's message names a record,
 * or a line number that is not the file's, so the file is parsed again with JSON.parse: NDJSON
 * line by line (streaming); JSON whole when it is an array, else value by value, a value running
 * on over as many lines as it takes. Undefined when a JSON file is too large, or it all parses.
 */
export async function jsonErrorLine(
  file: string,
  format: 'json' | 'ndjson',
): Promise<number | undefined> {
  if (format === 'ndjson') {
    const stream = contentStream(file);
    if (!stream) return undefined;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let n = 0;
    try {
      for await (const raw of lines) {
        const text = ++n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
        if (text.trim() === '') continue;
        try {
          JSON.parse(text);
        } catch {
          return n;
        }
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    return undefined;
  }
  const whole = await readPrefix(file, JSON_LINE_SCAN_MAX + 1);
  if (!whole || whole.length > JSON_LINE_SCAN_MAX) return undefined;
  const text = whole.toString('utf8').replace(/^\uFEFF/, '');
  const lineAt = (s: string, pos: number): number => s.slice(0, pos).split(/\r\n|\r|\n/).length;
  /** Where JSON.parse(s) fails: 'end' when s is only incomplete, undefined when it parses. */
  const failure = (s: string): number | 'end' | undefined => {
    try {
      JSON.parse(s);
      return undefined;
    } catch (err) {
      const m = (err as Error).message;
      const at = /at position (\d+)/.exec(m);
      if (at) return Number(at[1]) >= s.trimEnd().length ? 'end' : Number(at[1]);
      return 'end';
    }
  };
  if (text.trimStart().startsWith('[')) {
    const f = failure(text);
    if (f === undefined) return undefined;
    return lineAt(text, f === 'end' ? text.trimEnd().length : f);
  }
  const lines = text.split(/\r\n|\r|\n/);
  let start = 0;
  while (start < lines.length) {
    if ((lines[start] as string).trim() === '') {
      start++;
      continue;
    }
    let end = start;
    let value = lines[start] as string;
    for (;;) {
      const f = failure(value);
      if (f === undefined) break;
      if (f !== 'end') return start + lineAt(value, f);
      if (end + 1 >= lines.length) return start + 1; // never completed: where it starts
      value += `\n${lines[++end]}`;
    }
    start = end + 1;
  }
  return undefined;
}
