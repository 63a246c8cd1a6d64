// Reading local files for `put`: a concurrent directory walk (readdir with file types, so plain
// files and directories cost no stat) and one read per file that keeps small files in memory
// and hands big ones to the engine as re-openable streams.
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
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
/** Open flags for reading a walked file (O_NOFOLLOW does not exist on Windows). */
const NO_FOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

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

/** Why the walk left a directory entry out. */
export type SkipReason = 'outside' | 'dangling' | 'loop' | 'special' | 'repository';

export interface SkippedFile {
  /** Path relative to the walked directory, with `/` separators. */
  rel: string;
  /** Path on disk. */
  abs: string;
  reason: SkipReason;
  /** What the reason is about: a link's target, where a loop leads back to. */
  detail?: string;
}

export interface WalkOptions {
  /** Follow symbolic links whose target is outside the walked directory (default: skip them). */
  followSymlinks?: boolean;
}

/**
 * Every file under `root`, sorted by relative path, and what was skipped (each also `warn`ed).
 *
 * Symbolic links: a link whose target is inside `root` is followed (its target's bytes are read
 * at the link's path: an object store has no links); one that leads outside `root` is skipped
 * unless `followSymlinks`, so nothing outside the directory is read without asking; a dangling
 * link (no target) is skipped, never the end of the walk; a link back to a directory being walked
 * is skipped, not looped on. Linked files and directories are read through their resolved real
 * paths, and plain files are opened without following a link (`O_NOFOLLOW`), so a file swapped
 * for a link after the walk is not read. Other special files (sockets, FIFOs, devices) and a
 * repository's own `.sluice/` are skipped too.
 */
export async function walkFiles(
  root: string,
  warn: (message: string) => void,
  opts: WalkOptions = {},
): Promise<{ files: LocalFile[]; skipped: SkippedFile[] }> {
  const files: LocalFile[] = [];
  const skipped: SkippedFile[] = [];
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch (err) {
    throw fileError(err, root);
  }
  const skip = (s: SkippedFile, message: string): void => {
    skipped.push(s);
    warn(`skipping ${s.abs}: ${message}`);
  };
  const walk: Walk = { root, rootReal, follow: opts.followSymlinks === true, files, skip };
  await drain<Dir>([{ abs: root, rel: '', chain: [rootReal] }], WALK_CONCURRENCY, (dir, push) =>
    walkDir(walk, dir, push),
  );
  const byRel = (a: { rel: string }, b: { rel: string }) =>
    a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0;
  files.sort(byRel);
  skipped.sort(byRel);
  return { files, skipped };
}

interface Dir {
  abs: string;
  rel: string;
  /** Real paths of this directory and its ancestors in the walk, for loop detection. */
  chain: string[];
}

/** What every directory of one walk shares. */
interface Walk {
  root: string;
  rootReal: string;
  follow: boolean;
  files: LocalFile[];
  skip: (s: SkippedFile, message: string) => void;
}

async function walkDir(walk: Walk, dir: Dir, push: (d: Dir) => void): Promise<void> {
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
      walk.files.push({ abs, rel });
    } else if (e.isDirectory()) {
      if (SKIPPED_DIRS.has(e.name))
        walk.skip({ rel, abs, reason: 'repository' }, "a sluice repository's own directory");
      else push({ abs, rel: `${rel}/`, chain: [...dir.chain, `${here}/${e.name}`] });
    } else if (e.isSymbolicLink()) {
      await walkLink(walk, dir, { abs, rel }, push);
    } else {
      walk.skip({ rel, abs, reason: 'special' }, 'not a regular file or directory');
    }
  }
}

/** A symbolic link met in the walk: followed, or skipped with its reason. */
async function walkLink(
  walk: Walk,
  dir: Dir,
  link: LocalFile,
  push: (d: Dir) => void,
): Promise<void> {
  const { abs, rel } = link;
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP')
      throw fileError(err, `${abs} (symbolic link)`);
    const target = await readlink(abs).catch(() => '?');
    walk.skip(
      { rel, abs, reason: 'dangling', detail: target },
      `the link's target ${target} does not exist`,
    );
    return;
  }
  const inside = real === walk.rootReal || real.startsWith(walk.rootReal + sep);
  if (!inside && !walk.follow) {
    walk.skip(
      { rel, abs, reason: 'outside', detail: real },
      `the link leads outside ${walk.root} (to ${real}); --follow-symlinks reads it`,
    );
    return;
  }
  let st: import('node:fs').Stats;
  try {
    st = await stat(real);
  } catch (err) {
    throw fileError(err, `${abs} (symbolic link)`);
  }
  if (st.isFile()) {
    walk.files.push({ abs: real, rel });
  } else if (st.isDirectory()) {
    if (dir.chain.includes(real))
      walk.skip({ rel, abs, reason: 'loop', detail: real }, `the link loops back to ${real}`);
    else push({ abs: real, rel: `${rel}/`, chain: [...dir.chain, real] });
  } else {
    walk.skip({ rel, abs, reason: 'special' }, 'not a regular file or directory');
  }
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
    // Not through a link: the walk checked where each path leads, and a link made since is not read.
    fd = openSync(abs, NO_FOLLOW);
    const { size } = fstatSync(fd);
    if (!inMemory(size)) return { size, open: () => openStream(abs) };
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

/** A big file's bytes, opened like the small ones (not through a link); errors as stream errors. */
function openStream(abs: string): Readable {
  let fd: number;
  try {
    fd = openSync(abs, NO_FOLLOW);
  } catch (err) {
    const failed = new PassThrough();
    failed.destroy(fileError(err, abs));
    return failed;
  }
  return createReadStream(abs, { fd });
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
