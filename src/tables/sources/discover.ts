// Input discovery: what files an ingest source names — a file, a directory or a glob.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { FileNotFoundError } from '../../common/errors.js';
import { EXTENSIONS, extensionOf, type IngestFormat } from './formats.js';

/**
 * The files an ingest reads, sorted: a file; a glob (every file it matches); or a directory, which
 * contributes every data file below it (by extension, or any file when a format is given) except
 * those whose name or folder starts with `_` or `.`.
 */
export async function resolveSources(src: string, format?: IngestFormat): Promise<string[]> {
  const known = (f: string): boolean => {
    const ext = extensionOf(f);
    return format ? EXTENSIONS[ext] === format || !(ext in EXTENSIONS) : ext in EXTENSIONS;
  };
  let files: string[];
  if (/[*?[\]{}]/.test(src)) {
    files = (await glob(src, { absolute: true, onlyFiles: true, dot: false })).sort();
  } else {
    const abs = resolve(src);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch {
      throw new FileNotFoundError(`${src} does not exist`, { file: src });
    }
    if (st.isDirectory()) {
      // Names starting with `_` or `.` are not data (`_SUCCESS`, `_temporary/`, `.crc` files:
      // the Hive/Spark convention, as for a table's own folder).
      files = (
        await glob('**/*', {
          cwd: abs,
          absolute: true,
          onlyFiles: true,
          dot: false,
          ignore: ['**/_*', '**/_*/**'],
        })
      )
        .filter(known)
        .sort();
    } else {
      files = [abs];
    }
  }
  if (files.length === 0) {
    throw new FileNotFoundError(`no input files match ${src}`, { file: src });
  }
  return files;
}
