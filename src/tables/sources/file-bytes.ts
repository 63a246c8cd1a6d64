// The bytes of an input file as DuckDB reads them (a `.gz` decompressed): its prefix, whether it
// is blank, and a copy without a byte order mark for the JSON reader.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extensionOf } from './formats.js';

/**
 * The bytes of a data file as DuckDB reads them: a `.gz` file decompressed. Undefined for a
 * compression Node cannot read (zstd): callers then do without what they wanted to find.
 */
export function contentStream(file: string): Readable | undefined {
  const ext = extname(file.toLowerCase());
  if (ext === '.gz') return createReadStream(file).pipe(createGunzip());
  if (ext === '.zst') return undefined;
  return createReadStream(file);
}

/** The first `n` bytes (or fewer) of a data file's content. */
export async function readPrefix(file: string, n: number): Promise<Buffer | undefined> {
  const stream = contentStream(file);
  if (!stream) return undefined;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

/**
 * A JSON file that starts with a byte order mark, which DuckDB's JSON reader refuses (or, for a
 * JSON array, misreads as a single value): a copy without it in `dir`, decompressed. Other files
 * are read as they are.
 */
export async function jsonWithoutBom(file: string, dir: string, n: number): Promise<string> {
  const head = await readPrefix(file, 3);
  if (!head || head.length < 3 || head[0] !== 0xef || head[1] !== 0xbb || head[2] !== 0xbf)
    return file;
  const stream = contentStream(file);
  if (!stream) return file;
  const out = join(dir, `input-${n}${extensionOf(file)}`);
  let first = true;
  await pipeline(
    stream,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        yield first ? chunk.subarray(3) : chunk;
        first = false;
      }
    },
    createWriteStream(out),
  );
  return out;
}

/** True when the file holds nothing but whitespace (and perhaps a byte order mark). */
export async function isBlank(file: string): Promise<boolean> {
  if (statSync(file).size === 0) return true;
  const head = await readPrefix(file, 65);
  if (!head || head.length > 64) return false;
  return (
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim() === ''
  );
}
