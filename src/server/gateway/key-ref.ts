// Which ref a key names. Keys are `{ref}/{path}`, but branch names may hold slashes
// (`sandbox/alice`, `ingest/airbyte`), so the ref is the shortest run of leading segments that
// names an existing ref: `main/a.csv` asks one lookup, `sandbox/alice/a.csv` two. (A branch `x`
// beside a branch `x/y` hides `x/y` from the gateway: `x` wins, as the shorter.) A key whose
// segments name no ref keeps its first segment as the ref, so the error names it.
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
  const segments = key.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const ref = segments.slice(0, i).join('/');
    if (ref === '' || ref.endsWith('/')) break;
    const resolved = await tryResolve(repo, ref);
    if (resolved) return { ref, path: segments.slice(i).join('/'), resolved };
  }
  return { ref: segments[0] ?? '', path: segments.slice(1).join('/') };
}
