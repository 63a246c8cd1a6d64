// Finding a project's files: models (`*.sql` under the model paths), seeds (`*.csv` under the
// seed paths), singular tests (under the test paths), macros (only indexed, to name one a model
// calls) — and refusing what `dbt build` would run and Sluice cannot (custom generic tests,
// snapshots) with the file, rather than skipping it. The text of every file read is kept in
// `files` (what a build snapshots).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { ModelFile, SeedFile } from '../project.js';
import type { ProjectConfig } from './config.js';
import { fail, toPosix } from './reading.js';

/** Files under `root` (recursively, sorted, hidden ones skipped) whose name matches. */
export function walk(root: string, match: RegExp): string[] {
  const out: string[] = [];
  const go = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.')) continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) go(p);
      else if (match.test(n)) out.push(p);
    }
  };
  go(root);
  return out;
}

/** The models under one model path, added to `models` (a name must be unique in the project). */
export function readModelFiles(
  dir: string,
  modelPath: string,
  models: Map<string, ModelFile>,
  files: Map<string, string>,
): void {
  const root = join(dir, modelPath);
  for (const abs of walk(root, /\.sql$/i)) {
    const path = toPosix(relative(dir, abs));
    const name = basename(abs).replace(/\.sql$/i, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      fail(path, undefined, `model name ${JSON.stringify(name)}: use letters, digits and _`);
    const other = models.get(name);
    if (other) fail(path, undefined, `a model named ${name} exists already (${other.path})`);
    const sql = readFileSync(abs, 'utf8');
    const folder = toPosix(relative(root, abs)).split('/').slice(0, -1).join('/');
    models.set(name, { name, path, folder, sql });
    files.set(path, sql);
  }
}

/** The seeds under the seed paths; a seed's name may be neither another seed's nor a model's. */
export function readSeedFiles(
  dir: string,
  config: ProjectConfig,
  models: Map<string, ModelFile>,
  files: Map<string, string>,
): Map<string, SeedFile> {
  const seeds = new Map<string, SeedFile>();
  for (const sp of config.seedPaths) {
    for (const abs of walk(join(dir, sp), /\.csv$/i)) {
      const path = toPosix(relative(dir, abs));
      const name = basename(abs).replace(/\.csv$/i, '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(path, undefined, `seed name ${JSON.stringify(name)}: use letters, digits and _`);
      if (seeds.has(name) || models.has(name))
        fail(
          path,
          undefined,
          `${name} is both a seed and ${seeds.has(name) ? 'another seed' : 'a model'}`,
        );
      seeds.set(name, { name, path });
      files.set(path, readFileSync(abs, 'utf8'));
    }
  }
  return seeds;
}

const MACRO_DEF = /\{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;

/** The macros defined under the macro paths, by name (not supported: named when a model calls one). */
export function indexMacros(
  dir: string,
  config: ProjectConfig,
): Map<string, { file: string; line: number }> {
  const macros = new Map<string, { file: string; line: number }>();
  for (const mp of config.macroPaths ?? ['macros']) {
    for (const abs of walk(join(dir, mp), /\.sql$/i)) {
      const path = toPosix(relative(dir, abs));
      const text = readFileSync(abs, 'utf8');
      for (const m of text.matchAll(MACRO_DEF))
        macros.set(m[1] as string, {
          file: path,
          line: text.slice(0, m.index).split('\n').length,
        });
    }
  }
  return macros;
}

/**
 * The singular data tests under the test paths. What `dbt build` would also run from there and
 * Sluice does not (custom generic tests) is refused with the file, not skipped: a build must not
 * report a project's tests as passed when some never ran.
 */
export function loadSingularTests(
  dir: string,
  config: ProjectConfig,
  files: Map<string, string>,
): Map<string, ModelFile> {
  const out = new Map<string, ModelFile>();
  for (const tp of config.testPaths ?? []) {
    const root = join(dir, tp);
    for (const abs of walk(root, /\.sql$/i)) {
      const path = toPosix(relative(dir, abs));
      const sql = readFileSync(abs, 'utf8');
      const generic = /\{%-?\s*test\s+[A-Za-z_]/.exec(sql);
      if (generic)
        fail(
          path,
          sql.slice(0, generic.index).split('\n').length,
          'custom generic tests ({% test %}) are not supported: use a built-in test or a sql test ({query: …}) in a properties file',
        );
      const name = basename(abs).replace(/\.sql$/i, '');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        fail(path, undefined, `test name ${JSON.stringify(name)}: use letters, digits and _`);
      const other = out.get(name);
      if (other) fail(path, undefined, `a test named ${name} exists already (${other.path})`);
      const folder = toPosix(relative(root, abs)).split('/').slice(0, -1).join('/');
      out.set(name, { name, path, folder, sql });
      files.set(path, sql);
    }
  }
  return out;
}

/** Snapshots are refused with the file, not skipped (see loadSingularTests). */
export function refuseSnapshots(dir: string, config: ProjectConfig): void {
  for (const sp of config.snapshotPaths ?? []) {
    const [abs] = walk(join(dir, sp), /\.sql$/i);
    if (abs)
      fail(
        toPosix(relative(dir, abs)),
        undefined,
        'snapshots are not supported (yet): move it out of the snapshot paths to build without it',
      );
  }
}
