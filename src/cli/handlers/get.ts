// `sluice get PATH DEST`: downloads an object to a local file, atomically (temp file + rename).
// The content is verified while it streams; on a mismatch no DEST file is left behind.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SluiceError } from '../../index.js';
import { fileError } from '../local-files.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

/** Objects at least this big show a byte progress bar. */
const PROGRESS_FROM = 64 * 1024 * 1024;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function run(
  ctx: CommandContext,
  path: string,
  dest: string,
  opts: { ref?: string },
): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  const { entry, stream } = await repo.openObject(ref, path);
  const target = await download(ctx, entry, stream, dest);
  printGot(ctx, entry, target);
  return 0;
}

/**
 * Writes an object's stream to DEST (a file, or into a directory under the object's name) through
 * a temp file renamed at the end; on any failure no DEST file is left. Returns the file written.
 */
export async function download(
  ctx: CommandContext,
  entry: { path: string; size: number },
  stream: Readable,
  dest: string,
): Promise<string> {
  const into = dest.endsWith('/') || dest.endsWith(sep) || (await isDirectory(dest));
  const target = into ? join(dest, basename(entry.path)) : dest;
  const tmp = join(
    dirname(target),
    `.${basename(target)}.sluice-tmp-${randomBytes(6).toString('hex')}`,
  );
  const bar = entry.size >= PROGRESS_FROM ? ctx.progress('get', entry.size) : undefined;
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      written += chunk.length;
      bar?.update(written);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(stream, counter, createWriteStream(tmp, { flags: 'wx' }));
    await rename(tmp, target);
  } catch (err) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw err instanceof SluiceError ? err : fileError(err, target);
  } finally {
    bar?.stop();
  }
  return target;
}

/** What both the local and the remote command print. */
export function printGot(
  ctx: CommandContext,
  entry: { path: string; size: number; checksum: string },
  target: string,
): void {
  ctx.out.result(
    { path: entry.path, destination: target, size: entry.size, checksum: entry.checksum },
    () => ctx.out.note(`${entry.path} → ${target} (${formatBytes(entry.size)})`),
  );
}
