// How a project's files are read: every problem is a ProjectError naming the file and line, and
// YAML goes through the one reader with line numbers (common/yaml-file.ts), validated with zod —
// the place where every config reader of the project meets.
import { sep } from 'node:path';
import * as z from 'zod';
import { configFailAt, firstIssue, unknownKeyErrors } from '../../common/config-schema.js';
import { ProjectError } from '../../common/errors.js';
import { formatField, readYamlText } from '../../common/yaml-file.js';

/** Throws the ProjectError `file[:line]: reason`. */
export const fail = (file: string, line: number | undefined, reason: string): never => {
  throw new ProjectError(`${file}${line ? `:${line}` : ''}: ${reason}`, {
    file,
    ...(line ? { line } : {}),
    reason,
  });
};

export const toPosix = (p: string): string => p.split(sep).join('/');

/** A YAML document with line numbers for its nodes; malformed YAML is a ProjectError. */
export function readYaml(text: string, file: string) {
  const y = readYamlText(text, file, (line, _field, reason) => fail(file, line, reason));
  return {
    y,
    doc: y.doc,
    lineOf: y.lineOf,
    lineAt: (path: (string | number)[], key?: string) => y.lineAt(path, key),
  };
}

/** `value` parsed with `schema`; the first issue is a ProjectError at its line (`base`: where `value` sits). */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  file: string,
  lineAt: (path: (string | number)[], key?: string) => number,
  base: (string | number)[] = [],
): T {
  const r = schema.safeParse(value, { error: unknownKeyErrors() });
  if (r.success) return r.data;
  const issue = firstIssue(r.error.issues);
  const path = [...base, ...((issue?.path ?? []) as (string | number)[])];
  if (issue?.code === 'unrecognized_keys') {
    // An unknown key is a config error like in every other file: at its line, with the key meant.
    const key = issue.keys[0] as string;
    return configFailAt(file)(lineAt(path, key), formatField([...path, key]), issue.message);
  }
  return fail(file, lineAt(path), `${path.join('.') || '(top)'}: ${issue?.message}`);
}

export const materialization = z.enum(['table', 'view', 'incremental', 'ephemeral']);
export const nameRule = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name of letters, digits and _');
export const stringList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);
