// Validating a YAML file a user wrote against a zod schema, once, at load: the first problem is
// reported through the reader's `fail` with the file's line and the field's path. An unknown key
// (every object schema is strict: a typo must not silently turn a feature off) names the nearest
// known key — or the key users plausibly meant, from the caller's synonyms
// (`branches` → `gates`) — and, failing both, the keys that are known there.
import type { z } from 'zod';
import { InvalidConfigError } from './errors.js';
import { nearest } from './nearest.js';
import { type FailAt, formatField, type YamlFile, type YamlPath } from './yaml-file.js';

export interface ParseConfigOptions {
  /** Keys users plausibly write for a known one, anywhere in the file: `branches` → `gates`. */
  synonyms?: Readonly<Record<string, string>>;
}

/** The keys an object schema knows (zod keeps them in its definition's shape). */
function knownKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod
    ?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** "unknown key `branches`; did you mean `gates`?" (or the known keys when none is near). */
export function unknownKeyMessage(
  key: string,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): string {
  const meant =
    synonyms[key] !== undefined && known.includes(synonyms[key] as string)
      ? synonyms[key]
      : nearest(key, known);
  if (meant !== undefined) return `unknown key \`${key}\`; did you mean \`${meant}\`?`;
  return known.length > 0
    ? `unknown key \`${key}\` (known here: ${known.join(', ')})`
    : `unknown key \`${key}\``;
}

/** A zod error map naming an unknown key's nearest known one (for `safeParse(v, {error})`). */
export function unknownKeyErrors(synonyms?: Readonly<Record<string, string>>) {
  return (iss: z.core.$ZodRawIssue): string | undefined =>
    iss.code === 'unrecognized_keys'
      ? unknownKeyMessage(iss.keys[0] as string, knownKeys(iss.inst), synonyms)
      : undefined;
}

/**
 * The issue to report: an unknown key first (a typo explains the "required" that follows it);
 * inside a union (`checks: true | path`), the issue of the alternative the value was meant for —
 * the one that got past the type check.
 */
export function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue | undefined {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue?.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const meant = issue.errors.find(
    (alt) => !alt.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  const inner = meant ? firstIssue(meant) : undefined;
  return inner ? { ...inner, path: [...issue.path, ...inner.path] } : issue;
}

/**
 * Parses `value` (found at `base` in `y`) with `schema`; the first problem is `fail(line, field,
 * reason)` — for an unknown key, at that key's own line.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  y: YamlFile,
  value: unknown,
  base: YamlPath,
  fail: FailAt,
  opts: ParseConfigOptions = {},
): z.output<S> {
  const r = schema.safeParse(value, { error: unknownKeyErrors(opts.synonyms) });
  if (r.success) return r.data;
  const issue = firstIssue(r.error.issues) as z.core.$ZodIssue;
  let path: YamlPath = [...base, ...(issue.path as YamlPath)];
  let message = issue.message;
  let line: number;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] as string;
    line = y.lineAt(path, key);
    path = [...path, key];
    if (issue.keys.length > 1) message += ` (also unknown: ${issue.keys.slice(1).join(', ')})`;
  } else {
    line = y.lineAt(path);
    if (issue.code === 'invalid_key') message = issue.issues[0]?.message ?? message;
    if (issue.code === 'invalid_type' && / received undefined$/.test(message)) message = 'required';
  }
  return fail(line, formatField(path), message);
}

/**
 * The `fail` of a configuration file: an InvalidConfigError `file:line: field: reason`, naming
 * the file, the line and the field in its data.
 */
export function configFailAt(file: string): FailAt {
  return (line, field, reason) => {
    throw new InvalidConfigError(`${file}:${line}: ${field ? `${field}: ` : ''}${reason}`, {
      file,
      line,
      ...(field ? { field } : {}),
      reason,
    });
  };
}
