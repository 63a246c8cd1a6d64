// The first line of an error's message: what an event's `reason`, a one-line refusal and a
// node's message show. Errors from DuckDB and nunjucks carry multi-line context after it.

/** The trimmed first line of `err`'s message (of `String(err)` for a non-Error). */
export function errorLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? '').trim();
}

/** The stable `code` of a SluiceError (or any error carrying one), else `Error`. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : 'Error';
}

/** The first line of a text (a commit message's subject). */
export function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
