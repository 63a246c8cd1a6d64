// `export-ref`: writes a ref's objects as a plain tree — `DEST/<path>` for every path — to a local
// directory or an S3 prefix, for tools that cannot use the gateway. Each object streams verified
// (a damaged or changed external object fails the export), a few at a time. A local file is
// written to a temporary name and renamed, so no half-written file is left under its name. A
// destination that already holds something is refused unless `force` (which then overwrites the
// paths the ref has and leaves anything else there).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FileNotFoundError, InvalidArgumentError } from '../common/errors.js';
import type { RefStore, StagingStore } from '../meta/meta-store.js';
import { forEachConcurrent } from '../storage/put-many.js';
import type { RepoContext } from './context.js';
import type { TreeEntry } from './entry.js';
import { externalSourcesOf } from './external-source.js';
import { type LakeLocation, parseLakeLocation, refuseRepositoryStorage } from './import-op.js';
import { openVerified } from './object-io.js';
import { resolveRef } from './refs.js';
import { listEntries, viewOf } from './view.js';

export interface ExportOptions {
  /** Write into a destination that already holds files or objects (default: refuse). */
  force?: boolean;
  /** Only the paths under this folder (written relative to it). */
  prefix?: string;
  /** Objects written at once (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; bytes: number }) => void;
}

export interface ExportResult {
  ref: string;
  commit: string;
  destination: string;
  objects: number;
  bytes: number;
}

type ExportMeta = RefStore & StagingStore;

export async function exportRef(
  ctx: RepoContext<ExportMeta>,
  ref: string,
  destination: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  const dest = parseLakeLocation(destination);
  refuseRepositoryStorage(ctx, dest, 'destination');
  const resolved = await resolveRef(ctx, ref);
  const view = await viewOf(ctx, resolved);
  const prefix = opts.prefix?.replace(/^\/+|\/+$/g, '') ?? '';
  const entries: TreeEntry[] = [];
  for await (const e of listEntries(ctx, view, {
    prefix: prefix ? `${prefix}/` : '',
    signal: opts.signal,
  }))
    entries.push(e);
  if (!opts.force) await refuseNonEmpty(ctx, dest);
  const total = entries.length;
  let done = 0;
  let bytes = 0;
  const write = writerFor(ctx, dest);
  await forEachConcurrent(
    entries,
    { concurrency: opts.concurrency ?? 8, signal: opts.signal },
    async (e) => {
      await write(prefix ? e.path.slice(prefix.length + 1) : e.path, e, opts.signal);
      bytes += e.size;
      opts.onProgress?.({ done: ++done, total, bytes });
    },
  );
  return { ref, commit: resolved.commit, destination: dest.uri, objects: total, bytes };
}

/** A destination holding anything is refused without `force`; a missing directory is created. */
async function refuseNonEmpty(ctx: RepoContext<unknown>, dest: LakeLocation): Promise<void> {
  let nonEmpty: boolean;
  if (dest.kind === 'local') {
    try {
      nonEmpty = (await readdir(dest.dir)).length > 0;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR')
        throw new FileNotFoundError(`${dest.dir} is not a directory`, { file: dest.dir });
      if (code !== 'ENOENT') throw err;
      nonEmpty = false;
    }
  } else {
    const store = await externalSourcesOf(ctx.store).bucket(dest.bucket);
    nonEmpty = false;
    for await (const _ of store.list(dest.prefix ? `${dest.prefix}/` : '')) {
      nonEmpty = true;
      break;
    }
  }
  if (nonEmpty)
    throw new InvalidArgumentError(
      `${dest.uri} is not empty: export into an empty destination, or pass force to overwrite`,
      { argument: 'destination', reason: 'not empty' },
    );
}

type Writer = (rel: string, entry: TreeEntry, signal?: AbortSignal) => Promise<void>;

function writerFor(ctx: RepoContext<unknown>, dest: LakeLocation): Writer {
  if (dest.kind === 's3') {
    return async (rel, entry, signal) => {
      const store = await externalSourcesOf(ctx.store).bucket(dest.bucket);
      const key = dest.prefix ? `${dest.prefix}/${rel}` : rel;
      await store.put(key, await openVerified(ctx.store, entry, signal), {
        size: entry.size,
        signal,
      });
    };
  }
  return async (rel, entry, signal) => {
    const target = join(dest.dir, ...rel.split('/'));
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.sluice-tmp`;
    try {
      await pipeline(
        await openVerified(ctx.store, entry, signal),
        createWriteStream(temp, { flags: 'wx' }),
        { signal },
      );
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  };
}
