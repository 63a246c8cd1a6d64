// What an object key names in the repository: a ref and a path. Reads take any ref (a branch with
// its staged changes, a tag, an alias such as `production`, a commit id); writes take branches
// only — an alias, tag or commit is AccessDenied with a message saying so, and a branch that does
// not exist is InvalidArgument (nothing is denied: the key names no branch to write to). Paths are
// taken as written: a key whose path Sluice would spell differently (`a//b`, `./a`) names nothing.
import {
  PathNotFoundError,
  parseRepoPath,
  type RepoPath,
  type Repository,
  type TreeEntry,
} from '../../index.js';
import { factsOf } from '../permissions.js';
import type { GatewayContext } from './operation.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';

/** The repository a request's bucket names (NoSuchBucket when there is none). */
export function repositoryOf(g: GatewayContext, s3: S3Request): Promise<Repository> {
  return g.server.host.get(s3.bucket as string);
}

/** The path as the repository spells it, or undefined when the key's path is not one. */
export function canonicalPath(path: string): RepoPath | undefined {
  try {
    const p = parseRepoPath(path);
    return p === path ? p : undefined;
  } catch {
    return undefined;
  }
}

/** A readable key's path; NoSuchKey when the key can name no object (`main/`, `main/dir/`). */
export function readPath(s3: S3Request): RepoPath {
  const p = canonicalPath(s3.path);
  if (p === undefined)
    throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: s3.key });
  return p;
}

/** A written key's path; InvalidArgument with the reason when the key can name no object. */
export function writePath(s3: S3Request): RepoPath {
  if (s3.path === '')
    throw new S3Error(
      'InvalidArgument',
      `the key ${JSON.stringify(s3.key)} names no object: keys are {branch}/{path}`,
    );
  try {
    const p = parseRepoPath(s3.path);
    if (p !== s3.path) throw new Error('not canonical');
    return p;
  } catch {
    throw new S3Error(
      'InvalidArgument',
      `the key ${JSON.stringify(s3.key)} is not a valid Sluice path (no empty, "." or ".." segments, no leading or trailing "/", at most 1024 bytes)`,
    );
  }
}

/** Whether the key is a "directory marker" (`main/dir/` or `main/`): S3 tools create them. */
export function isDirectoryMarker(s3: S3Request): boolean {
  return s3.key.endsWith('/');
}

/**
 * The branch a write to `ref` goes to; AccessDenied for anything else a ref can be, and for a
 * protected branch (refused before a body is read; the library's write policy refuses it too).
 */
export async function writableBranch(
  g: GatewayContext,
  repo: Repository,
  ref: string,
): Promise<string> {
  let resolved: Awaited<ReturnType<Repository['resolve']>>;
  try {
    resolved = await repo.resolve(ref);
  } catch {
    throw new S3Error(
      'InvalidArgument',
      `there is no branch ${JSON.stringify(ref)} in ${repo.name} to write to: create it first (sluice branch create ${ref})`,
    );
  }
  switch (resolved.kind) {
    case 'branch':
      return unprotected(g, repo, resolved.branch.name);
    case 'alias':
      throw new S3Error(
        'AccessDenied',
        `${ref} is an alias (of ${resolved.branch.name}); objects are written to branches only`,
      );
    case 'tag':
      throw new S3Error('AccessDenied', `${ref} is a tag; objects are written to branches only`);
    default:
      throw new S3Error(
        'AccessDenied',
        `${ref} is a commit, not a branch; objects are written to branches only`,
      );
  }
}

/** The entry at `path` on `ref` (a branch: staged or committed), or undefined when there is none. */
export async function entryAt(
  repo: Repository,
  ref: string,
  path: string,
): Promise<TreeEntry | undefined> {
  try {
    return await repo.stat(ref, path);
  } catch (err) {
    if (err instanceof PathNotFoundError) return undefined;
    throw err;
  }
}

async function unprotected(g: GatewayContext, repo: Repository, branch: string): Promise<string> {
  const facts = await factsOf(g.server.host, {
    action: 'branch:Write',
    repository: repo.name,
    branch,
  });
  if (facts.protected)
    throw new S3Error(
      'AccessDenied',
      `${branch} is a protected branch: it changes by merges through its gate only, not by direct writes`,
    );
  return branch;
}
