// Configured paths (a files ingestor's `path`, a `checks:` file) are relative to the repository
// directory and never leave it, nor point into `.sluice/`, the repository's own storage.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidPathError } from '../../common/errors.js';

/** Is `p` (relative to `root`, or absolute) inside `root`, lexically? */
export function isInsideDir(root: string, p: string): boolean {
  const rel = relative(resolve(root), resolve(root, p));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * Refuses a configured path that leaves the repository directory or points into `.sluice/` (the
 * repository's own storage): InvalidPathError with reason `path traversal`.
 */
export function checkRepoRelativePath(repoDir: string, p: string, what: string): string {
  // In a glob, `..` can hide where resolution cannot see it (`{data,../x}/*.csv`): never allowed.
  const globUp = /[*?[\]{}]/.test(p) && /(^|[/\\{,])\.\.([/\\},]|$)/.test(p);
  if (globUp || !isInsideDir(repoDir, p)) {
    throw new InvalidPathError(
      `${what} ${JSON.stringify(p)} leaves the repository directory (path traversal)`,
      { path: p, reason: 'path traversal' },
    );
  }
  const rel = relative(resolve(repoDir), resolve(repoDir, p));
  if (rel === '.sluice' || rel.startsWith(`.sluice${sep}`)) {
    throw new InvalidPathError(
      `${what} ${JSON.stringify(p)} points into .sluice/, the repository's own storage`,
      { path: p, reason: 'path traversal' },
    );
  }
  return resolve(repoDir, p);
}
