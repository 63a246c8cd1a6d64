// The keys of a YAML file checked against what Sluice reads and what dbt defines. Three kinds of
// key: one Sluice reads (its value is then validated by the reader's zod schema), one dbt defines
// that Sluice does not use yet (accepted — a dbt project must still run — and noted for the one
// warning the edge prints, config-notices.ts), and any other: a typo or a guess, refused with the
// line and the nearest known key, before anything is written.

import { noteIgnoredKey } from './config-notices.js';
import { unknownKeyMessage } from './config-schema.js';
import { type FailAt, formatField, type YamlFile, type YamlPath } from './yaml-file.js';

/** The keys of one kind of mapping in a file, and the keys of the mappings under them. */
export interface KeySpec {
  /** Keys Sluice reads. */
  used: readonly string[];
  /** Keys dbt defines that Sluice does not use yet: noted, not refused. */
  dbt?: readonly string[];
  /** What a key misspelt or guessed most likely meant: `tables` → `models` … */
  synonyms?: Readonly<Record<string, string>>;
  /** The spec of a key's value: a mapping (`map`) or a list of mappings (`list`). */
  children?: Readonly<Record<string, { map: KeySpec } | { list: KeySpec }>>;
  /** The mapping's keys are names (folders, vars …), not keys to check. */
  freeForm?: boolean;
}

/**
 * Walks `value` (found at `path` in `y`) with `spec`: dbt keys are noted, unknown keys are
 * `fail(line, 'path.k', "unknown key `k`; did you mean `m`?")`. Values of the wrong shape are left
 * to the reader's schema, which reports them with their own message.
 */
export function checkKeys(
  y: YamlFile,
  value: unknown,
  path: YamlPath,
  spec: KeySpec,
  fail: FailAt,
): void {
  if (spec.freeForm || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const dbt = spec.dbt ?? [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (dbt.includes(key) && !spec.used.includes(key)) {
      noteIgnoredKey({ file: y.file, line: y.lineAt(path, key), key: formatField([...path, key]) });
      continue;
    }
    if (!spec.used.includes(key)) {
      const message = unknownKeyMessage(key, [...spec.used, ...dbt], spec.synonyms);
      fail(y.lineAt(path, key), formatField([...path, key]), message);
    }
    const child = spec.children?.[key];
    if (!child) continue;
    if ('map' in child) checkKeys(y, v, [...path, key], child.map, fail);
    else if (Array.isArray(v))
      for (const [i, item] of v.entries()) checkKeys(y, item, [...path, key, i], child.list, fail);
  }
}
