// Printing for the CLI: human text vs one JSON document per command (--json), informational
// notes silenced by --quiet, and errors in the shape chosen for each mode. Commands never touch
// process.stdout directly, so the quickstart can run them with its own streams. Human text goes
// through terminalText: a line, a note, a warning, a table cell and an error line each print as
// one terminal line whatever control characters the user text in them holds.
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { Change, Commit, SluiceError } from '../index.js';
import { firstLine } from '../internal.js';

// The JSON shapes are the server's too (api/wire-core.ts): one definition for both edges.
export { branchJson, changeJson, commitJson, entryJson, tagJson } from '../internal.js';

import { errorDocument, errorLines } from './errors.js';
import { terminalText } from './terminal-text.js';

export interface Io {
  /** Where `sql` reads a query (or runs its prompt) when none is given; default process.stdin. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface OutputMode {
  json: boolean;
  quiet: boolean;
}

export class Output {
  constructor(
    readonly io: Io,
    readonly mode: OutputMode,
  ) {}

  get json(): boolean {
    return this.mode.json;
  }

  /** A line of a command's human output (its data: not silenced by --quiet). */
  line(text = ''): void {
    if (!this.mode.json) this.io.stdout.write(`${terminalText(text)}\n`);
  }

  /** A rendering of several lines (YAML, SQL, a graph), printed like `line` but for its newlines. */
  block(text: string): void {
    if (!this.mode.json) this.io.stdout.write(`${terminalText(text, { multiline: true })}\n`);
  }

  /** Informational human output, silenced by --quiet. */
  note(text: string): void {
    if (!this.mode.json && !this.mode.quiet) this.io.stdout.write(`${terminalText(text)}\n`);
  }

  /** A warning on stderr (also under --json, so stdout stays one document). */
  warn(text: string): void {
    if (!this.mode.quiet) this.io.stderr.write(`warning: ${terminalText(text)}\n`);
  }

  /** Prints `doc` under --json, else runs `human`. */
  result(doc: unknown, human: () => void): void {
    if (this.mode.json) this.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    else human();
  }

  /** Rows as aligned columns; `right` marks columns aligned to the right (numbers). */
  table(cells: string[][], right: number[] = []): void {
    // Escaped before measuring: the widths are those of what is printed.
    const rows = cells.map((row) => row.map((cell) => terminalText(cell)));
    const widths: number[] = [];
    for (const row of rows) {
      row.forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 0, cell.length);
      });
    }
    for (const row of rows) {
      const cells = row.map((cell, i) => {
        if (i === row.length - 1 && !right.includes(i)) return cell;
        const w = widths[i] ?? 0;
        return right.includes(i) ? cell.padStart(w) : cell.padEnd(w);
      });
      if (!this.mode.json) this.io.stdout.write(`${cells.join('  ')}\n`);
    }
  }

  error(err: SluiceError): void {
    if (this.mode.json) this.io.stdout.write(`${JSON.stringify(errorDocument(err), null, 2)}\n`);
    else
      this.io.stderr.write(
        `${errorLines(err)
          .map((l) => terminalText(l))
          .join('\n')}\n`,
      );
  }

  /** Raw bytes to stdout, waiting when the stream asks us to. */
  async raw(chunk: Uint8Array): Promise<void> {
    if (!this.io.stdout.write(chunk)) await once(this.io.stdout, 'drain');
  }
}

/** A stream that keeps what is written to it (a nested command's output, commander's help). */
export class TextCapture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Resolves once everything written so far has been handed to the OS. */
export async function flush(stream: NodeJS.WritableStream): Promise<void> {
  await new Promise<void>((resolve) => {
    if (!stream.write('', () => resolve())) stream.once('drain', () => resolve());
  });
}

// ---- shared renderings --------------------------------------------------------------------------

export const shortId = (id: string): string => id.slice(0, 12);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** git-log style block for a commit. */
export function printCommit(out: Output, c: Commit, opts: { metadata?: boolean } = {}): void {
  out.line(`commit ${c.id}`);
  if (c.parents.length > 1) out.line(`Merge: ${c.parents.map(shortId).join(' ')}`);
  out.line(`Committer: ${c.committer}`);
  out.line(`Date:      ${c.createdAt.toISOString()}`);
  if (opts.metadata) {
    for (const [k, v] of Object.entries(c.metadata)) out.line(`Metadata:  ${k}=${v}`);
  }
  out.line();
  for (const l of c.message.split('\n')) out.line(`    ${l}`);
}

/** A list of commits as `log` prints it: full entries, or one line each with `oneline`. */
export function printCommits(out: Output, commits: Commit[], oneline = false): void {
  commits.forEach((c, i) => {
    if (oneline) {
      out.line(`${shortId(c.id)} ${firstLine(c.message)}`);
      return;
    }
    if (i > 0) out.line();
    printCommit(out, c);
  });
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
  total: number;
}

const MARK: Record<Change['type'], string> = { added: '+', removed: '-', changed: '~' };

export function countChanges(changes: Change[]): ChangeCounts {
  const counts: ChangeCounts = { added: 0, removed: 0, changed: 0, total: changes.length };
  for (const c of changes) counts[c.type]++;
  return counts;
}

/** `+ path` / `- path` / `~ path` lines and a count summary. */
export function printChanges(out: Output, changes: Change[], empty: string): void {
  for (const c of changes) out.line(`${MARK[c.type]} ${c.path}`);
  const n = countChanges(changes);
  if (n.total === 0) out.line(empty);
  else
    out.line(`${n.total} change(s): ${n.added} added, ${n.removed} removed, ${n.changed} changed`);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const x of it) all.push(x);
  return all;
}
