// Keys that dbt defines and Sluice does not use yet (`profile:`, `meta:`, `docs:`, a test's
// `limit:` …) are not errors — a dbt project must still run — but they are not silently accepted
// either: the readers note each one here while they read, and the edge (the CLI, later the server)
// reports them all as ONE warning when the command is done. Notes are collected per call of
// `collectConfigNotices` (an AsyncLocalStorage scope), so concurrent requests never mix; a note
// made outside any scope is dropped. The same key of the same file is noted once, however many
// times the file is read.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface IgnoredKey {
  /** The file as messages name it. */
  file: string;
  line: number;
  /** The key's dotted path (`models[0].meta`) or its name. */
  key: string;
}

const scope = new AsyncLocalStorage<Map<string, IgnoredKey>>();

/** Notes a dbt key that was read and ignored. */
export function noteIgnoredKey(k: IgnoredKey): void {
  scope.getStore()?.set(`${k.file}\0${k.line}\0${k.key}`, k);
}

/**
 * Runs `fn` in its own scope of notes; when it settles (returned or threw), `report` receives the
 * dbt keys ignored meanwhile, in file order — if there were any.
 */
export async function withConfigNotices<T>(
  fn: () => Promise<T>,
  report: (ignored: IgnoredKey[]) => void,
): Promise<T> {
  const notes = new Map<string, IgnoredKey>();
  try {
    return await scope.run(notes, fn);
  } finally {
    if (notes.size > 0) report(sortedNotes(notes));
  }
}

function sortedNotes(notes: Map<string, IgnoredKey>): IgnoredKey[] {
  return [...notes.values()].sort((a, b) =>
    a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1,
  );
}

/** The one warning line: "dbt keys Sluice does not use yet were ignored: file:line `key`, …". */
export function ignoredKeysWarning(ignored: readonly IgnoredKey[], max = 8): string | undefined {
  if (ignored.length === 0) return undefined;
  const shown = ignored.slice(0, max).map((k) => `${k.file}:${k.line} \`${k.key}\``);
  const more = ignored.length > max ? ` and ${ignored.length - max} more` : '';
  return `dbt keys Sluice does not use yet were ignored: ${shown.join(', ')}${more}`;
}
