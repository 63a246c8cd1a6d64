// The DuckDB settings each repository handle carries (sluice.yml's `duckdb:` section, a caller's
// over it: duck-settings.ts reads the file) and what one operation runs with. Kept apart from the
// file's reader so that opening a repository without the section loads no parser.
import type { Repository } from '../core/repository.js';
import type { DuckOptions } from './duckdb.js';

const byRepository = new WeakMap<Repository, DuckOptions>();

/** Sets the DuckDB settings of every operation on `repo` (sluice.yml's, a caller's over them). */
export function setRepositoryDuck(repo: Repository, opts: DuckOptions): void {
  byRepository.set(repo, opts);
}

/** Options without their undefined keys, so that spreading them never unsets a setting. */
const defined = (o: DuckOptions | undefined): DuckOptions =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as DuckOptions;

/** The DuckDB settings of an operation on `repo`: the repository's, with `given`'s over them. */
export function duckOptionsFor(repo: Repository, given?: DuckOptions): DuckOptions {
  return { ...defined(byRepository.get(repo)), ...defined(given) };
}
