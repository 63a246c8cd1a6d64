// Rooms by concern: no file in src/ over 600 lines and no function over 150 (conformance suites
// excepted, and the describe blocks of unit tests: a list of cases, not a function with phases).
// A function that grows past that is a set of phases waiting for names; a file past it holds
// more than one concept (docs/architecture.md, "Tests").
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const MAX_FILE_LINES = 600;
const MAX_FUNCTION_LINES = 150;
// Conformance suites, and files generated from another source (the client's types: docs/openapi.json).
const EXCEPTED = /\.conformance\.ts$|\/conformance\/|\/client\/api-types\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !EXCEPTED.test(p) ? [p] : [];
  });
}

/** Every function, method, arrow function and constructor longer than `max` lines. */
function longFunctions(file: string, max: number): string[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node)
    ) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        const name =
          (node as { name?: ts.Node }).name?.getText(sf) ??
          (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
        out.push(`${relative(ROOT, file)}:${start + 1} ${name}: ${lines} lines`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('the house rules', () => {
  const files = sourceFiles(SRC);

  it(`no file in src/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, n: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ n }) => n > MAX_FILE_LINES)
      .map(({ f, n }) => `${relative(ROOT, f)}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it(`no function in src/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    const code = files.filter((f) => !f.endsWith('.test.ts'));
    expect(code.flatMap((f) => longFunctions(f, MAX_FUNCTION_LINES))).toEqual([]);
  });
});
