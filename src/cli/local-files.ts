// Reading local files for `put`: a concurrent directory walk (readdir with file types, so plain
// files and directories cost no stat) and one read per file that keeps small files in memory
// and hands big ones to the engine as re-openable streams.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { FileNotFoundError, InvalidArgumentError, type SluiceError } from '../index.js';

export interface LocalFile {
  /** Path on disk. */
  abs: string;
  /** Path relative to the walked directory, with `/` separators. */
  rel: string;
}

export type LocalBody = Uint8Array | { size: number; open: () => Readable };

/** Files below this size are read into memory; bigger ones are streamed (twice: hash, store). */
export const SMALL_FILE_LIMIT = 8 * 1024 * 1024;
/** At most this many bytes of small files are held in memory; past it, small files stream too. */
export const MEMORY_BUDGET = 512 * 1024 * 1024;
/** Files read between two yields to the event loop (progress bar, signals). */
const READ_BATCH = 256;
const WALK_CONCURRENCY = 8;

/** The repository's own directory is never imported, even when walking the folder that holds it. */
const SKIPPED_DIRS = new Set(['.sluice']);

/** A file-system error as a SluiceError naming the file. */
export function fileError(err: unknown, file: string): SluiceError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new FileNotFoundError(`${file}: no such file or directory`, { file });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new InvalidArgumentError(`cannot read ${file}: ${message}`, {
    argument: file,
    reason: code,
  });
}

/**
 * Every file under `root`, sorted by relative path. Symbolic links are followed (to files and to
 * directories); a link back to a directory being walked is skipped with a warning, not looped on.
 * Other special files (sockets, FIFOs, devices) are skipped with a warning.
 */
export async function walkFiles(
  root: string,
  warn: (message: string) => void,
): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  interface Dir {
    abs: string;
    rel: string;
    /** Real paths of this directory and its ancestors in the walk, for loop detection. */
    chain: string[];
  }
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (err) {
    throw fileError(err, root);
  }
  await drain<Dir>(
    [{ abs: root, rel: '', chain: [rootReal] }],
    WALK_CONCURRENCY,
    async (dir, push) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir.abs, { withFileTypes: true });
      } catch (err) {
        throw fileError(err, dir.abs);
      }
      const here = dir.chain[dir.chain.length - 1] as string;
      for (const e of entries) {
        const abs = join(dir.abs, e.name);
        const rel = dir.rel + e.name;
        if (e.isFile()) {
          files.push({ abs, rel });
        } else if (e.isDirectory()) {
          if (SKIPPED_DIRS.has(e.name))
            warn(`skipping ${abs} (a sluice repository's own directory)`);
          else push({ abs, rel: `${rel}/`, chain: [...dir.chain, `${here}/${e.name}`] });
        } else if (e.isSymbolicLink()) {
          let st: import('node:fs').Stats;
          try {
            st = await stat(abs);
          } catch (err) {
            throw fileError(err, `${abs} (symbolic link)`);
          }
          if (st.isFile()) {
            files.push({ abs, rel });
          } else if (st.isDirectory()) {
            const real = await realpath(abs);
            if (dir.chain.includes(real)) warn(`skipping ${abs}: the link loops back to ${real}`);
            else push({ abs, rel: `${rel}/`, chain: [...dir.chain, real] });
          } else {
            warn(`skipping ${abs}: not a regular file or directory`);
          }
        } else {
          warn(`skipping ${abs}: not a regular file or directory`);
        }
      }
    },
  );
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return files;
}

/**
 * Reads each file once (open, fstat, read, close). Small files become in-memory bodies while the
 * memory budget lasts; the rest become stream bodies the engine opens when it needs them.
 *
 * Reads are synchronous, in batches that yield to the event loop between them: for small files
 * on a local disk the thread-pool round trips of async reads cost far more than the reads
 * themselves (100,000 files of ~12 bytes: 0.8 s synchronous vs 4.3 s with 32 concurrent
 * `readFile`s on 2 cores).
 */
export async function readBodies(
  files: LocalFile[],
  opts: { onProgress?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<{ bodies: LocalBody[]; bytes: number }> {
  const bodies: LocalBody[] = new Array(files.length);
  let budget = MEMORY_BUDGET;
  let bytes = 0;
  const inMemory = (size: number): boolean => {
    if (size >= SMALL_FILE_LIMIT || size > budget) return false;
    budget -= size;
    return true;
  };
  for (let i = 0; i < files.length; i++) {
    const body = readOne((files[i] as LocalFile).abs, inMemory);
    bodies[i] = body;
    bytes += body instanceof Uint8Array ? body.byteLength : body.size;
    if (i % READ_BATCH === READ_BATCH - 1) {
      opts.onProgress?.(i + 1);
      await setImmediate();
      opts.signal?.throwIfAborted();
    }
  }
  opts.onProgress?.(files.length);
  return { bodies, bytes };
}

function readOne(abs: string, inMemory: (size: number) => boolean): LocalBody {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const { size } = fstatSync(fd);
    if (!inMemory(size)) return { size, open: () => createReadStream(abs) };
    const buf = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, buf, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? buf : buf.subarray(0, filled);
  } catch (err) {
    throw fileError(err, abs);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Runs `fn` over a work queue that `fn` may extend, at most `concurrency` at a time. */
async function drain<T>(
  initial: T[],
  concurrency: number,
  fn: (item: T, push: (item: T) => void) => Promise<void>,
): Promise<void> {
  const queue = [...initial];
  let next = 0;
  let active = 0;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (failure) return;
      while (active < concurrency && next < queue.length) {
        const item = queue[next++] as T;
        active++;
        fn(item, (more) => queue.push(more)).then(
          () => {
            active--;
            if (active === 0 && next >= queue.length) resolve();
            else pump();
          },
          (error: unknown) => {
            active--;
            failure ??= { error };
            reject(error);
          },
        );
      }
      if (active === 0 && next >= queue.length) resolve();
    };
    pump();
  });
}
