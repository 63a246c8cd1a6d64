// Helpers the pipeline tests share: a project directory from a map of files, the ProjectError a
// call throws, and YAML/SQL text from lines.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ProjectError } from '../../src/common/errors.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A temporary project directory holding these files (`from`: a copy of that directory first);
 * removed after the test file.
 */
export function projectDir(files: Record<string, string>, from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-project-'));
  dirs.push(dir);
  if (from) cpSync(from, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The ProjectError `fn` throws (fails the test if it throws nothing or something else). */
export function projectError(fn: () => unknown): ProjectError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectError);
    return err as ProjectError;
  }
  throw new Error('expected a ProjectError, nothing was thrown');
}

/** Lines joined, with a final newline. */
export const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;
