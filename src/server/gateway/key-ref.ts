// Which ref a key names. Keys are `{ref}/{path}`, but branch names may hold slashes
// (`sandbox/alice`, `ingest/airbyte`), so the ref is the longest run of leading segments that
// names an existing ref. Found cheaply: the shortest one first (`main/a/b.csv`: one lookup), then
// one query for branches named under it (`main/…`): only when there are, longer runs are tried —
// so a branch `ingest` beside `ingest/airbyte` leaves each its own keys. A key whose segments name
// no ref keeps its first segment as the ref, so the error names it.
import {
  InvalidNameError,
  InvalidRefError,
  RefNotFoundError,
  type Repository,
  type ResolvedRef,
} from '../../index.js';

export interface KeyRef {
  ref: string;
  path: string;
  /** The ref resolved (kind, branch, commit), when it exists. */
  resolved?: ResolvedRef;
}

async function tryResolve(repo: Repository, ref: string): Promise<ResolvedRef | undefined> {
  try {
    return await repo.resolve(ref);
  } catch (err) {
    if (
      err instanceof RefNotFoundError ||
      err instanceof InvalidRefError ||
      err instanceof InvalidNameError
    )
      return undefined;
    throw err;
  }
}

/** Splits `key` into its ref and path (see the top of this file). */
export async function splitKey(repo: Repository, key: string): Promise<KeyRef> {
  return (await findRef(repo, key, true)) ?? fallback(key);
}

/**
 * The ref a listing prefix reads: one followed by `/` in the prefix (`main/`, `sandbox/alice/da`)
 * — undefined when the prefix names none (`ma`, `sandbox/`): the listing then shows refs.
 */
export function splitPrefix(repo: Repository, prefix: string): Promise<KeyRef | undefined> {
  return findRef(repo, prefix, false);
}

function fallback(key: string): KeyRef {
  const segments = key.split('/');
  return { ref: segments[0] ?? '', path: segments.slice(1).join('/') };
}

async function findRef(repo: Repository, key: string, whole: boolean): Promise<KeyRef | undefined> {
  const segments = key.split('/');
  const last = whole ? segments.length : segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const ref = segments.slice(0, i).join('/');
    if (ref === '' || ref.endsWith('/')) break;
    const resolved = await tryResolve(repo, ref);
    if (!resolved) continue;
    const shortest = { ref, path: segments.slice(i).join('/'), resolved };
    if (i === last || !(await hasBranchesUnder(repo, ref))) return shortest;
    return (await longest(repo, segments, i, last)) ?? shortest;
  }
  return undefined;
}

async function hasBranchesUnder(repo: Repository, ref: string): Promise<boolean> {
  for await (const _ of repo.listBranches({ prefix: `${ref}/` })) return true;
  return false;
}

/** The longest run of more than `shortest` segments naming a ref, if any. */
async function longest(
  repo: Repository,
  segments: string[],
  shortest: number,
  last: number,
): Promise<KeyRef | undefined> {
  for (let i = last; i > shortest; i--) {
    const ref = segments.slice(0, i).join('/');
    if (ref.endsWith('/')) continue;
    const resolved = await tryResolve(repo, ref);
    if (resolved) return { ref, path: segments.slice(i).join('/'), resolved };
  }
  return undefined;
}
