// `sluice --remote URL put SRC DEST`: the local files are read as locally, then each is uploaded
// (PUT …/objects, its bytes streamed) and staged on the branch. Unlike the local command, a
// directory is staged file by file: a failure part-way leaves the files before it staged (the
// error says which failed; `sluice status` shows what is staged).
import { Readable } from 'node:stream';
import { parseRepoPath } from '../../index.js';
import type { EntryJson } from '../../internal.js';
import { isDirectory, type PutOptions, planPut, printPut, readPlan } from '../handlers/put.js';
import type { LocalBody } from '../local-files.js';
import { metadata } from '../options.js';
import type { CommandContext } from '../runner.js';
import type { RemoteSession } from './session.js';

/** Uploads in flight at once. */
const CONCURRENCY = 8;

function requestBody(body: LocalBody): { body: unknown; size: number; init: object } {
  if (body instanceof Uint8Array) return { body, size: body.length, init: {} };
  // A big file streams (fetch needs duplex 'half' for a stream body).
  return { body: Readable.toWeb(body.open()), size: body.size, init: { duplex: 'half' } };
}

async function upload(
  s: RemoteSession,
  repository: string,
  branch: string,
  path: string,
  local: LocalBody,
  headers: Record<string, string>,
): Promise<EntryJson> {
  const { body, size, init } = requestBody(local);
  return s.call(
    s.client.PUT('/api/v1/repositories/{repository}/branches/{branch}/objects', {
      params: { path: { repository, branch }, query: { path } },
      body: body as string,
      bodySerializer: (b: unknown) => b as never,
      headers: { ...headers, 'content-length': String(size) },
      ...init,
    }),
  );
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
  const s = await ctx.remote();
  const repository = await s.repository();
  const branch = await s.branch(opts.branch);
  // Refuse a missing branch (or a tag) before reading a single file.
  await s.call(
    s.client.GET('/api/v1/repositories/{repository}/branches/{branch}', {
      params: { path: { repository, branch } },
    }),
  );
  const { files, paths, skipped } = await planPut(ctx, src, dest, isDir, opts);
  const { bodies, bytes } = await readPlan(ctx, files);
  const headers: Record<string, string> = {
    // application/octet-stream: the server guesses from the path, as the library does locally.
    'content-type': opts.contentType ?? 'application/octet-stream',
    ...Object.fromEntries(Object.entries(meta ?? {}).map(([k, v]) => [`x-sluice-meta-${k}`, v])),
  };
  const entries: EntryJson[] = new Array(files.length);
  const storing = ctx.progress('store', files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      entries[i] = await upload(
        s,
        repository,
        branch,
        paths[i] as string,
        bodies[i] as LocalBody,
        headers,
      );
      storing.update(++done, files.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  } finally {
    storing.stop();
  }
  printPut(ctx, branch, entries, bytes, skipped);
  return 0;
}
