#!/usr/bin/env node
// Builds the `sluice` CLI as an esbuild bundle with code splitting: dist/cli-bundle/main.js holds
// commander and the command declarations (all `--version` and `--help` need), and each command's
// handler is a chunk loaded with the libraries it uses when the command runs. Run after tsc by
// `npm run build` (and by test/support/build-once.ts); bin/sluice.js loads the bundle.
//
// Why a bundle: Node's ESM loader pays per file, and Sluice's dependencies come as hundreds of
// small files (kysely alone: 279, ~140 ms); one chunk of the same code loads in a tenth of that.
//
// Two plugins make the splitting work:
// - `sideEffects: false` for Sluice's own sources (src/**): importing a module for one name must
//   not keep the rest of it, or the modules it imports for other names.
// - the public API's entries (src/index.ts and the subpath entries: tables/, quality/,
//   pipeline/, workflow/index.ts, auth/index.ts, internal.ts) are barrels: names re-exported from one file.
//   esbuild assigns whole files to chunks by what can reach them, and through a barrel every
//   handler reaches the whole layer, so every command would load all of it. The CLI's imports
//   from the entries are therefore resolved, at build time, to the modules that define each name
//   — the same code, imported through the public API in the source.
//
// Left outside the bundle (loaded from node_modules when used, with require): native modules
// (better-sqlite3, @duckdb/node-api, pg-native), the AWS SDK, and optional requires that do not
// resolve (chokidar and fsevents, which nunjucks tries for file watching).
//
// Usage: node scripts/bundle-cli.mjs [--report]   (--report: the packages each chunk loads, and
// dist/cli-bundle/meta.json for esbuild's bundle analyzer)
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
/** The public API's entries (src/index.ts and the subpath exports): barrels of re-exports. */
const ENTRIES = new Set(
  [
    'index.ts',
    'tables/index.ts',
    'quality/index.ts',
    'pipeline/index.ts',
    'workflow/index.ts',
    'auth/index.ts',
    'server/index.ts',
    'internal.ts',
  ].map(
    (f) => join(SRC, f),
  ),
);
const OUT = join(ROOT, 'dist', 'cli-bundle');

const EXTERNAL = [
  'better-sqlite3',
  '@duckdb/node-api',
  '@aws-sdk/*',
  'pg-native',
  // The server's native and worker-spawning packages (argon2's addon; pino's thread-stream).
  'argon2',
  'pino',
  'thread-stream',
  'chokidar',
  'fsevents',
];
/** The only package the entry chunk (every start, `--version` included) may load. */
const STARTUP_PACKAGES = new Set(['commander']);

// ---- the barrels: which module defines each name an entry exports ----------------------------------

/** `./x.js` from `file` → the .ts file it names. */
function tsPath(file, spec) {
  const p = resolve(dirname(file), spec);
  return p.endsWith('.js') ? `${p.slice(0, -3)}.ts` : p;
}

const parsed = new Map();
function parse(file) {
  let sf = parsed.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(file, sf);
  }
  return sf;
}

const hasExport = (node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Names a module exports → the file that defines (or re-exports) them, following `export *`. */
function exportsOf(file, seen = new Set()) {
  const map = new Map();
  if (seen.has(file)) return map;
  seen.add(file);
  for (const st of parse(file).statements) {
    if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      const target = tsPath(file, st.moduleSpecifier.text);
      if (!st.exportClause) {
        for (const name of exportsOf(target, seen).keys())
          if (!map.has(name)) map.set(name, target);
      } else if (ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) map.set(el.name.text, target);
      }
    } else if (!ENTRIES.has(file) && hasExport(st)) {
      if (ts.isVariableStatement(st))
        for (const d of st.declarationList.declarations)
          if (ts.isIdentifier(d.name)) map.set(d.name.text, file);
      if (st.name && ts.isIdentifier(st.name)) map.set(st.name.text, file);
    }
  }
  return map;
}

/** `from '../index.js'` (or another entry) rewritten to the defining modules, one per module. */
function unbarrel(file, text, definingOf) {
  const sf = parse(file);
  const edits = [];
  for (const st of sf.statements) {
    const isImport = ts.isImportDeclaration(st);
    if (!isImport && !(ts.isExportDeclaration(st) && st.moduleSpecifier)) continue;
    const entry = tsPath(file, st.moduleSpecifier.text);
    if (!ENTRIES.has(entry)) continue;
    const defining = definingOf(entry);
    const clause = isImport ? st.importClause : st;
    if (!clause || clause.isTypeOnly) continue; // erased by esbuild
    const named = isImport ? clause.namedBindings : clause.exportClause;
    if (
      !named ||
      !(ts.isNamedImports(named) || ts.isNamedExports(named)) ||
      (isImport && clause.name)
    )
      throw new Error(
        `${relative(ROOT, file)}: import named bindings from the public API (no * or default)`,
      );
    const byModule = new Map();
    for (const el of named.elements) {
      if (el.isTypeOnly) continue;
      const name = (el.propertyName ?? el.name).text;
      const target = defining.get(name);
      if (!target)
        throw new Error(`${relative(ROOT, file)}: ${relative(SRC, entry)} exports no ${name}`);
      const spec = el.propertyName ? `${name} as ${el.name.text}` : name;
      byModule.set(target, [...(byModule.get(target) ?? []), spec]);
    }
    const keyword = isImport ? 'import' : 'export';
    const replacement = [...byModule]
      .map(([target, specs]) => {
        let rel = relative(dirname(file), target).replace(/\.ts$/, '.js');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return `${keyword} { ${specs.join(', ')} } from '${rel}';`;
      })
      .join('\n');
    edits.push([st.getStart(), st.getEnd(), replacement]);
  }
  let out = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start) + replacement + out.slice(end);
  return out;
}

const sourcesPlugin = {
  name: 'sluice-sources',
  setup(build) {
    const maps = new Map();
    const definingOf = (entry) => {
      if (!maps.has(entry)) maps.set(entry, exportsOf(entry));
      return maps.get(entry);
    };
    // Sluice's modules have no side effects on import: drop any that nothing uses.
    build.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData?.resolving || !args.resolveDir.startsWith(SRC)) return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (r.errors.length > 0 || !r.path.startsWith(SRC)) return undefined;
      return { path: r.path, sideEffects: false };
    });
    build.onLoad({ filter: /[/\\]src[/\\]cli[/\\].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return { contents: unbarrel(args.path, text, definingOf), loader: 'ts' };
    });
  },
};

// ---- external CommonJS packages ------------------------------------------------------------------

/**
 * The external packages are CommonJS. Imported from ESM, Node translates each one and scans its
 * source for export names (cjs-module-lexer). A static import of one (better-sqlite3, on every
 * command that opens a repository) is loaded with require() instead — the banner's — as a module
 * whose body is `module.exports = require('pkg')`. Dynamic imports (DuckDB, the AWS SDK) stay
 * imports: their callers take named exports, which only Node's scan provides.
 */
const requirePlugin = {
  name: 'require-externals',
  setup(build) {
    build.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
      args.namespace === 'required-external' || args.kind !== 'import-statement'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'required-external' },
    );
    build.onLoad({ filter: /.*/, namespace: 'required-external' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};

// ---- build ----------------------------------------------------------------------------------------

/** Packages (node_modules) and outputs a chunk loads before it runs: its static imports, closed. */
function staticClosure(meta, output) {
  const seen = new Set();
  const todo = [output];
  while (todo.length > 0) {
    const o = todo.pop();
    if (seen.has(o)) continue;
    seen.add(o);
    for (const i of meta.outputs[o].imports)
      if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  const packages = new Set();
  let bytes = 0;
  for (const o of seen) {
    bytes += meta.outputs[o].bytes;
    for (const input of Object.keys(meta.outputs[o].inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) packages.add(m[1]);
    }
  }
  return { packages, bytes };
}

async function main() {
  const report = process.argv.includes('--report');
  rmSync(OUT, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: join(SRC, 'cli', 'main.ts') },
    outdir: OUT,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // The CommonJS packages bundled in (nunjucks, pg, cli-progress …) call require().
    banner: {
      js: "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourcesPlugin, requirePlugin],
  });
  const meta = result.metafile;
  const entry = relative(ROOT, join(OUT, 'main.js'));
  const start = staticClosure(meta, entry);
  const extra = [...start.packages].filter((p) => !STARTUP_PACKAGES.has(p));
  if (extra.length > 0)
    throw new Error(
      `the CLI's entry chunk loads ${extra.join(', ')} at every start: a declaration (src/cli/commands/) or main.ts imports library code; move it to the handler`,
    );
  if (report) {
    writeFileSync(join(OUT, 'meta.json'), JSON.stringify(meta)); // for esbuild's analyzer
    const rows = Object.keys(meta.outputs)
      .filter((o) => o.endsWith('.js'))
      .map((o) => ({ o, ...staticClosure(meta, o) }))
      .sort((a, b) => a.o.localeCompare(b.o));
    for (const r of rows)
      console.log(
        `${relative(relative(ROOT, OUT), r.o).padEnd(48)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  ${[...r.packages].sort().join(' ')}`,
      );
  }
  if (!existsSync(join(OUT, 'main.js'))) throw new Error('no dist/cli-bundle/main.js');
}

main().catch((err) => {
  process.stderr.write(`bundle-cli: ${err.message}\n`);
  process.exit(1);
});
