// A files ingestor's source: its `path` (a file, a directory or a glob) resolved against the
// repository directory — the input list the caller ingests. A path is confined to that directory:
// one that leaves it (`../`, an absolute path elsewhere, a glob or symlink reaching outside) is
// refused as path traversal, so a config file cannot make Sluice read arbitrary files.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { FileNotFoundError, InvalidPathError } from '../../common/errors.js';
import { type IngestFormat, resolveSources } from '../../tables/sources.js';
import { checkRepoRelativePath, isInsideDir } from '../config/index.js';

export interface FilesSource {
  path: string;
  format?: IngestFormat;
}

/**
 * The absolute paths of the files `source.path` names under `repoDir`, sorted. InvalidPathError
 * (reason `path traversal`) for a path outside the directory; FileNotFoundError when nothing
 * matches. `where` names the ingestor in messages.
 */
export async function resolveFilesSource(
  repoDir: string,
  source: FilesSource,
  where = 'files ingestor',
): Promise<string[]> {
  const root = resolve(repoDir);
  const abs = checkRepoRelativePath(root, source.path, `${where}: path`);
  let files: string[];
  try {
    files = await resolveSources(abs, source.format);
  } catch (err) {
    if (err instanceof FileNotFoundError)
      throw new FileNotFoundError(
        `${where}: no input files match ${source.path} (in ${root})`,
        { file: source.path },
        { cause: err },
      );
    throw err;
  }
  // The lexical check cannot see through symlinks or brace patterns: check what was found.
  const realRoot = realpathSync(root);
  for (const f of files) {
    if (!isInsideDir(realRoot, realpathSync(f)))
      throw new InvalidPathError(
        `${where}: path ${JSON.stringify(source.path)} reaches ${f}, outside the repository directory (path traversal)`,
        { path: source.path, reason: 'path traversal' },
      );
  }
  return files;
}
