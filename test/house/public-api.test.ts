// The edges call the public API only (docs/architecture.md): the CLI — and the server to come — imports
// Sluice's code through the entries package.json exports (`sluice`, `sluice/tables`,
// `sluice/quality`, `sluice/pipeline`, `sluice/workflow`, `sluice/auth`, `sluice/server`, `sluice/internal`), never a layer's
// internals. Each entry only re-exports, and each is really exported by the package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const EDGES = ['cli', 'server'].map((d) => join(SRC, d)).filter((d) => existsSync(d));

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
};
/** The source file of each exported subpath: ./dist/x/index.js → src/x/index.ts. */
const entries = new Map(
  Object.entries(pkg.exports)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath, target]) => {
      const js = (target as { default: string }).default;
      return [join(ROOT, js.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')), subpath];
    }),
);

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative module specifier of a file (imports, exports, dynamic imports). */
function relativeSpecifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      out.push(node.moduleSpecifier.text);
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out.filter((s) => s.startsWith('.'));
}

describe('the public API', () => {
  it('is what package.json exports: the root and one entry per layer above the engine', () => {
    expect([...entries.values()].sort()).toEqual(
      [
        '.',
        './auth',
        './client',
        './internal',
        './pipeline',
        './quality',
        './schemas',
        './server',
        './tables',
        './workflow',
      ].sort(),
    );
    for (const file of entries.keys()) expect(existsSync(file), relative(ROOT, file)).toBe(true);
  });

  it('entries only re-export: they hold no code of their own', () => {
    for (const file of entries.keys()) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const own = sf.statements.filter((s) => !ts.isExportDeclaration(s));
      expect(
        own.map((s) => s.getText(sf).slice(0, 60)),
        relative(ROOT, file),
      ).toEqual([]);
    }
  });

  it('the edges import Sluice only through the entries', () => {
    const bad: string[] = [];
    for (const edge of EDGES) {
      for (const file of tsFiles(edge)) {
        for (const spec of relativeSpecifiers(file)) {
          const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
          if (target.startsWith(edge) || entries.has(target)) continue;
          bad.push(`${relative(ROOT, file)} imports ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
