// Objects: upload to a branch (`PUT …/branches/{branch}/objects?path=`, the body streamed through
// to the library), download at a ref (Range requests, ETag = checksum), stat, list with
// prefix/delimiter/pagination, delete. What `sluice put|get|cat|ls|rm` do, over HTTP. The upload
// routes live in their own scope: there every content type is taken as raw bytes, and JSON routes
// elsewhere keep their parser.
import { Readable } from 'node:stream';
import * as z from 'zod';
import { EntryJson, ListItemJson } from '../../api/schemas.js';
import { parseRepoPath } from '../../index.js';
import { entryJson, type ListItemJson as ListItem, listItemJson } from '../../internal.js';
import { parseRange } from '../byte-range.js';
import type { ServerContext } from '../context.js';
import { receiveBody } from '../object-body.js';
import { paramsOf } from '../route-config.js';
import type { ApiRoutes } from './index.js';
import { BranchParams, PageQuery, Pagination, page, RefParams, withErrors } from './schemas.js';

const PathQuery = z.object({ path: z.string().min(1).max(4096).describe('the object’s path') });

/** `x-sluice-meta-<key>: value` headers: the object's user metadata. */
const META_PREFIX = 'x-sluice-meta-';

function metadataOf(headers: Record<string, string | string[] | undefined>) {
  const meta: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(META_PREFIX) || value === undefined) continue;
    meta[name.slice(META_PREFIX.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return Object.keys(meta).length > 0 ? meta : undefined;
}

const readAsk = (req: Parameters<typeof paramsOf>[0]) => ({
  action: 'repo:Read' as const,
  repository: paramsOf(req).repository,
  ref: paramsOf(req).ref,
});
const writeAsk = (req: Parameters<typeof paramsOf>[0]) => ({
  action: 'branch:Write' as const,
  repository: paramsOf(req).repository,
  branch: paramsOf(req).branch,
});

export function registerObjectRoutes(api: ApiRoutes, ctx: ServerContext): void {
  registerUpload(api, ctx);
  registerDownload(api, ctx);
  registerListing(api, ctx);

  api.delete(
    '/repositories/:repository/branches/:branch/objects',
    {
      schema: {
        summary: 'Delete objects on a branch (staged; all or nothing)',
        tags: ['objects'],
        params: BranchParams,
        querystring: z.object({
          path: z
            .union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).max(1000)])
            .describe('one path, or several (`?path=a&path=b`)'),
          recursive: z.enum(['true', 'false']).optional().describe('also everything under `path/`'),
        }),
        response: withErrors({
          200: z.object({ branch: z.string(), removed: z.array(z.string()) }),
        }),
      },
      config: { permission: writeAsk },
    },
    async (req) => {
      const paths = Array.isArray(req.query.path) ? req.query.path : [req.query.path];
      for (const p of paths) parseRepoPath(p);
      const repo = await ctx.host.get(req.params.repository);
      const removed = await repo.deleteObjects(req.params.branch, paths, {
        recursive: req.query.recursive === 'true',
      });
      return { branch: req.params.branch, removed };
    },
  );
}

function registerUpload(api: ApiRoutes, ctx: ServerContext): void {
  void api.register(async (scope) => {
    // Any content type is the object's bytes, handed through unread (object-body.ts reads them).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    (scope as ApiRoutes).put(
      '/repositories/:repository/branches/:branch/objects',
      {
        bodyLimit: ctx.objectBodyLimit,
        schema: {
          summary: 'Upload an object to a branch (staged)',
          description:
            'The body is the object’s bytes. `Content-Type` is kept as its content type (guessed from the path when absent or `application/octet-stream`); `x-sluice-meta-<key>` headers are its user metadata.',
          tags: ['objects'],
          params: BranchParams,
          querystring: PathQuery,
          // The bytes, any content type (the parser above hands the stream through unread).
          consumes: ['application/octet-stream', '*/*'],
          body: z.unknown().meta({ type: 'string', format: 'binary' }),
          response: withErrors({ 201: EntryJson }),
        },
        config: { permission: writeAsk },
      },
      async (req, reply) => {
        const path = parseRepoPath(req.query.path);
        const repo = await ctx.host.get(req.params.repository);
        // A missing branch (or a tag) is refused before a byte of the body is read.
        await repo.getBranch(req.params.branch);
        // application/octet-stream is what clients send when they know no better: guessed instead.
        const given = req.headers['content-type'];
        const contentType = given === 'application/octet-stream' ? undefined : given;
        const metadata = metadataOf(req.headers);
        const received = await receiveBody(
          (req.body ?? req.raw) as Readable,
          req.headers['content-length'],
          ctx.objectBodyLimit,
        );
        try {
          const entry = await repo.putObject(req.params.branch, path, received.body, {
            ...(contentType ? { contentType } : {}),
            ...(metadata ? { metadata } : {}),
          });
          reply.code(201);
          return entryJson(entry);
        } finally {
          await received.cleanup();
        }
      },
    );
  });
}

function registerDownload(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/objects',
    {
      schema: {
        summary: 'Download an object (Range requests answer 206)',
        description:
          'The object’s bytes, with its content type and `ETag` (its checksum). HEAD answers the headers only.',
        tags: ['objects'],
        params: RefParams,
        querystring: PathQuery,
        response: withErrors({
          200: z.unknown().describe('the object’s bytes'),
          206: z.unknown().describe('the requested byte range'),
        }),
      },
      config: { permission: readAsk },
    },
    async (req, reply) => {
      const path = parseRepoPath(req.query.path);
      const repo = await ctx.host.get(req.params.repository);
      // Without a range, one open gives the entry and the bytes (a small object read whole).
      const whole =
        req.headers.range === undefined && req.method !== 'HEAD'
          ? await repo.openObject(req.params.ref, path)
          : undefined;
      const entry = whole?.entry ?? (await repo.stat(req.params.ref, path));
      reply.header('etag', `"${entry.checksum}"`);
      reply.header('accept-ranges', 'bytes');
      reply.header('content-type', entry.contentType);
      let range: { start: number; end: number } | undefined;
      try {
        range = parseRange(req.headers.range, entry.size);
      } catch (err) {
        reply.header('content-range', `bytes */${entry.size}`);
        throw err;
      }
      if (range) {
        reply.code(206);
        reply.header('content-range', `bytes ${range.start}-${range.end}/${entry.size}`);
      }
      reply.header('content-length', String(range ? range.end - range.start + 1 : entry.size));
      // HEAD: an empty stream keeps the Content-Length above (Fastify's HEAD handling drains it).
      if (req.method === 'HEAD') return reply.send(Readable.from([]));
      if (whole) {
        const b = whole.bytes;
        return reply.send(b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : whole.stream);
      }
      const { stream } = await repo.openObject(req.params.ref, path, range ? { range } : {});
      return reply.send(stream);
    },
  );

  api.get(
    '/repositories/:repository/refs/:ref/objects/stat',
    {
      schema: {
        summary: 'An object’s entry: size, checksum, content type, metadata',
        tags: ['objects'],
        params: RefParams,
        querystring: PathQuery,
        response: withErrors({ 200: EntryJson }),
      },
      config: { permission: readAsk },
    },
    async (req) => {
      const path = parseRepoPath(req.query.path);
      const repo = await ctx.host.get(req.params.repository);
      return entryJson(await repo.stat(req.params.ref, path));
    },
  );
}

function registerListing(api: ApiRoutes, ctx: ServerContext): void {
  api.get(
    '/repositories/:repository/refs/:ref/objects/ls',
    {
      schema: {
        summary: 'List objects at a ref',
        description:
          'In key order. With `delimiter` (`/`), keys below it collapse into prefixes (`dir/`), as `sluice ls` shows them.',
        tags: ['objects'],
        params: RefParams,
        querystring: PageQuery.extend({ delimiter: z.string().min(1).max(16).optional() }),
        response: withErrors({
          200: z.object({ results: z.array(ListItemJson), pagination: Pagination }),
        }),
      },
      config: { permission: readAsk },
    },
    async (req) => {
      const { prefix, after, amount, delimiter } = req.query;
      if (prefix) parseRepoPath(prefix, { allowTrailingSlash: true });
      const repo = await ctx.host.get(req.params.repository);
      const fetched = [];
      const keyOf = (i: ListItem) => i.path;
      for await (const item of repo.list(req.params.ref, {
        prefix: prefix ?? '',
        ...(after !== undefined ? { after } : {}),
        ...(delimiter ? { delimiter } : {}),
      })) {
        const json = listItemJson(item);
        // A prefix named as the cursor (`after=dir/`) would be listed again: skip it.
        if (after !== undefined && keyOf(json) <= after) continue;
        fetched.push(json);
        if (fetched.length > amount) break;
      }
      return page(fetched, amount, keyOf);
    },
  );
}
