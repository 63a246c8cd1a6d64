// One page of a ListObjects (V1 or V2) listing, in S3's keys (`{ref}/{path}`). A prefix naming
// a ref (`main/data/`) lists that ref through the library's listing, started after the page's
// start key (O(page), never a re-scan). A prefix without `/` lists the refs themselves as
// common prefixes (`main/`, `production/`, `v1.0/`), each only to those who may read it.
//
// Consistency: the ref is resolved once per request and the page is listed from what it named
// then — an alias read through the branch it pointed at, a tag or commit by commit id — so a
// blue/green flip of `production` during a request never mixes two commits in one page. Pages
// of one listing are separate requests and may come from different commits (S3 has no snapshot
// across pages either).
import type { FastifyRequest } from 'fastify';
import { authorize } from '../../auth/index.js';
import type { Repository, TreeEntry } from '../../index.js';
import { SluiceError } from '../../index.js';
import { factsOf } from '../permissions.js';
import { compareUtf8, type ListParams } from './listing-params.js';
import type { GatewayContext } from './operation.js';
import { S3Error } from './s3-errors.js';

export interface ListedObject {
  key: string;
  entry: TreeEntry;
  /** The entry's mtime, else the time of the commit the ref named. */
  lastModified: Date;
}

export interface ListPage {
  contents: ListedObject[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix of the page (where the next page starts). */
  lastKey?: string;
}

const EMPTY: ListPage = { contents: [], prefixes: [], truncated: false };

/** Refs that name nothing list nothing, as an S3 prefix that matches no key. */
const UNKNOWN_REF = new Set(['RefNotFoundError', 'InvalidRefError', 'BranchNotFoundError']);

/** Every key under a rolled-up prefix sorts before this (the library's own bound). */
const pastPrefix = (p: string) => `${p}\u{10ffff}`;

export async function listPage(
  g: GatewayContext,
  req: FastifyRequest,
  bucket: string,
  p: ListParams,
): Promise<ListPage> {
  const repo = await g.server.host.get(bucket);
  const slash = p.prefix.indexOf('/');
  if (slash <= 0) return listRefs(g, req, repo, p);
  return listUnderRef(repo, p.prefix.slice(0, slash), p);
}

// ---- the repository's root: refs as common prefixes ---------------------------------------------

async function refNames(repo: Repository): Promise<string[]> {
  const names = new Set<string>();
  for await (const b of repo.listBranches()) names.add(b.name);
  for await (const a of repo.listAliases()) names.add(a.name);
  for await (const t of repo.listTags()) names.add(t.name);
  return [...names];
}

/** Whether the request's user may read `ref` (a private sandbox shows to its owner only). */
export async function mayRead(
  g: GatewayContext,
  req: FastifyRequest,
  repo: Repository,
  ref: string,
): Promise<boolean> {
  if (req.subject === undefined) return false;
  const facts = await factsOf(g.server.host, { action: 'repo:Read', repository: repo.name, ref });
  return authorize(req.subject, 'repo:Read', facts).allowed;
}

async function listRefs(
  g: GatewayContext,
  req: FastifyRequest,
  repo: Repository,
  p: ListParams,
): Promise<ListPage> {
  if (p.delimiter !== '/')
    throw new S3Error(
      'InvalidArgument',
      `The repository's root lists its refs, with the delimiter "/" only. Name a ref to list its objects: prefix "main/" (s3://${repo.name}/main/).`,
      { ArgumentName: 'delimiter', ArgumentValue: (p.delimiter ?? '').slice(0, 40) },
    );
  // A ref with "/" in its name (a sandbox's branch) cannot be named as a key's first segment.
  const keys = (await refNames(repo))
    .filter((n) => !n.includes('/'))
    .map((n) => `${n}/`)
    .filter((k) => k.startsWith(p.prefix) && (p.after === undefined || compareUtf8(k, p.after) > 0))
    .sort(compareUtf8);
  const prefixes: string[] = [];
  let truncated = false;
  if (p.maxKeys === 0) return EMPTY;
  for (const key of keys) {
    if (!(await mayRead(g, req, repo, key.slice(0, -1)))) continue;
    if (prefixes.length === p.maxKeys) {
      truncated = true;
      break;
    }
    prefixes.push(key);
  }
  const lastKey = prefixes.at(-1);
  return { contents: [], prefixes, truncated, ...(lastKey !== undefined ? { lastKey } : {}) };
}

// ---- under one ref ------------------------------------------------------------------------------

/** The library's `after` (a path) from the page's start key, or null when nothing can follow. */
function startPath(p: ListParams, base: string, pathPrefix: string): string | undefined | null {
  if (p.after === undefined) return undefined;
  let after: string;
  if (p.after.startsWith(base)) after = p.after.slice(base.length);
  else return compareUtf8(p.after, base) < 0 ? undefined : null;
  if (after === '') return undefined;
  // A start key inside a rolled-up prefix is past that prefix: S3 never lists it twice.
  if (p.delimiter !== undefined && after.startsWith(pathPrefix)) {
    const rest = after.slice(pathPrefix.length);
    const cut = rest.indexOf(p.delimiter);
    if (cut >= 0) return pastPrefix(pathPrefix + rest.slice(0, cut + p.delimiter.length));
  }
  return after;
}

/** What the page is read from, fixed once: the branch an alias named, or the commit. */
async function pin(
  repo: Repository,
  ref: string,
): Promise<{ source: string; time: Date } | undefined> {
  try {
    const r = await repo.resolve(ref);
    const source = r.kind === 'branch' || r.kind === 'alias' ? r.branch.name : r.commit;
    return { source, time: (await repo.getCommit(r.commit)).createdAt };
  } catch (err) {
    if (err instanceof SluiceError && UNKNOWN_REF.has(err.code)) return undefined;
    throw err;
  }
}

async function listUnderRef(repo: Repository, ref: string, p: ListParams): Promise<ListPage> {
  const base = `${ref}/`;
  const pathPrefix = p.prefix.slice(base.length);
  const after = startPath(p, base, pathPrefix);
  if (after === null || p.maxKeys === 0) return EMPTY;
  const pinned = await pin(repo, ref);
  if (pinned === undefined) return EMPTY;
  const page: ListPage = { contents: [], prefixes: [], truncated: false };
  let count = 0;
  const opts = {
    prefix: pathPrefix,
    ...(after !== undefined ? { after } : {}),
    ...(p.delimiter !== undefined ? { delimiter: p.delimiter } : {}),
  };
  for await (const item of repo.list(pinned.source, opts)) {
    if (count === p.maxKeys) {
      page.truncated = true;
      break;
    }
    count++;
    if (item.type === 'prefix') {
      page.lastKey = base + item.path;
      page.prefixes.push(page.lastKey);
    } else {
      const e = item.entry;
      page.lastKey = base + e.path;
      page.contents.push({
        key: page.lastKey,
        entry: e,
        lastModified: e.mtime !== undefined ? new Date(e.mtime) : pinned.time,
      });
    }
  }
  return page;
}
