// `sluice put SRC DEST`: stages a file at DEST, or a directory's files under the prefix DEST, in
// one all-or-nothing call: every file is read before anything is staged.
import { realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type PutItem, parseRepoPath, type Repository } from '../../index.js';
import {
  fileError,
  type LocalBody,
  type LocalFile,
  readBodies,
  type SkippedFile,
  walkFiles,
} from '../local-files.js';
import { metadata } from '../options.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

export interface PutOptions {
  branch?: string;
  contentType?: string;
  meta?: string[];
  followSymlinks?: boolean;
}

/**
 * A table manifest put by hand makes a table: its name may not clash with a table of another
 * spelling (`tables/Orders/_sluice_table.json` where `orders` is). Checked before any file is read.
 */
async function checkManifests(repo: Repository, branch: string, paths: string[]): Promise<void> {
  if (!paths.some((p) => p.startsWith('tables/'))) return;
  const { checkTableNameFree, manifestTableOf } = await import('../../tables/index.js');
  for (const path of paths) {
    const table = manifestTableOf(path);
    if (table !== undefined) await checkTableNameFree(repo, branch, table);
  }
}

/** Store concurrency passed to the engine: small objects are latency-bound, not bandwidth-bound. */
const STORE_CONCURRENCY = 32;

/** The local files a put reads and the repository paths they go to (a file, or a tree). */
export interface PutPlan {
  files: LocalFile[];
  paths: string[];
  skipped: SkippedFile[];
}

/** Is `src` a directory? (a missing file is the file error of its name) */
export async function isDirectory(src: string): Promise<boolean> {
  try {
    return (await stat(src)).isDirectory();
  } catch (err) {
    throw fileError(err, src);
  }
}

/** Walks `src` (a directory: its files under the prefix `dest`; a file: `dest`). */
export async function planPut(
  ctx: CommandContext,
  src: string,
  dest: string,
  isDir: boolean,
  opts: PutOptions,
): Promise<PutPlan> {
  if (isDir) {
    const prefix =
      dest === '.' || dest === './' || dest === '' ? '' : dest.endsWith('/') ? dest : `${dest}/`;
    const { files, skipped } = await walkFiles(src, (m) => ctx.out.warn(m), {
      followSymlinks: opts.followSymlinks === true,
    });
    if (files.length === 0) ctx.out.warn(`${src} holds no files; nothing to stage`);
    return { files, paths: files.map((f) => prefix + f.rel), skipped };
  }
  // A file named on the command line is read wherever a link there leads: the user chose it.
  let abs: string;
  try {
    abs = await realpath(src);
  } catch (err) {
    throw fileError(err, src);
  }
  return {
    files: [{ abs, rel: basename(src) }],
    paths: [dest.endsWith('/') ? dest + basename(src) : dest],
    skipped: [],
  };
}

/** Reads the files' bodies, with a progress bar. */
export async function readPlan(
  ctx: CommandContext,
  files: LocalFile[],
): Promise<{ bodies: LocalBody[]; bytes: number }> {
  const reading = ctx.progress('read', files.length);
  try {
    return await readBodies(files, { onProgress: (n) => reading.update(n) });
  } finally {
    reading.stop();
  }
}

export async function run(
  ctx: CommandContext,
  src: string,
  dest: string,
  opts: PutOptions,
): Promise<number> {
  const meta = metadata(opts.meta);
  parseRepoPath(dest, { allowEmpty: true, allowTrailingSlash: true });
  const isDir = await isDirectory(src);
  const repo = await ctx.repo();
  const branch = await ctx.branch(opts.branch);
  // Refuse a missing branch (or a tag) before reading a single file.
  await repo.getBranch(branch);
  const { files, paths, skipped } = await planPut(ctx, src, dest, isDir, opts);
  await checkManifests(repo, branch, paths);
  const { bodies, bytes } = await readPlan(ctx, files);
  const items: PutItem[] = files.map((_, i) => ({
    path: paths[i] as string,
    body: bodies[i] as LocalBody,
    ...(opts.contentType ? { contentType: opts.contentType } : {}),
    ...(meta ? { metadata: meta } : {}),
  }));

  const storing = ctx.progress('store', items.length);
  let entries: Awaited<ReturnType<typeof repo.putObjects>>;
  try {
    entries = await repo.putObjects(branch, items, {
      concurrency: STORE_CONCURRENCY,
      onProgress: (p) => storing.update(p.done, p.total),
    });
  } finally {
    storing.stop();
  }
  printPut(ctx, branch, entries, bytes, skipped);
  return 0;
}

/** What both the local and the remote command print. */
export function printPut(
  ctx: CommandContext,
  branch: string,
  entries: { path: string; size: number; checksum: string; address: string; contentType: string }[],
  bytes: number,
  skipped: SkippedFile[],
): void {
  ctx.out.result(
    {
      branch,
      objects: entries.length,
      bytes,
      entries: entries.map((e) => ({
        path: e.path,
        size: e.size,
        checksum: e.checksum,
        address: e.address,
        contentType: e.contentType,
      })),
      skipped: skipped.map((s) => ({
        file: s.abs,
        reason: s.reason,
        ...(s.detail ? { target: s.detail } : {}),
      })),
    },
    () => {
      if (entries.length === 1 && entries[0])
        ctx.out.note(`staged ${entries[0].path} on ${branch}`);
      ctx.out.note(`${entries.length} object(s), ${formatBytes(bytes)} staged on ${branch}`);
    },
  );
}
