// The one place where the CLI turns errors into exit codes and printed reports. Categories are
// checked most specific first, so a child class can get a different code than its parent.
import { CommanderError } from 'commander';
import {
  AuthError,
  ConflictError,
  GateFailedError,
  IntegrityError,
  InvalidArgumentError,
  MergeConflictError,
  NotFoundError,
  ObjectNotFoundError,
  PreconditionError,
  type SluiceError,
  toSluiceError,
  UnavailableError,
  ValidationError,
} from '../index.js';
import { errorLine } from '../internal.js';

export const EXIT_OK = 0;
/** Usage or validation error: the command line or its input is wrong. */
export const EXIT_USAGE = 1;
/** Conflict or failed precondition: the input is fine but the repository's state refuses it. */
export const EXIT_CONFLICT = 2;
export const EXIT_NOT_FOUND = 3;
/** Internal or integrity error: something is broken, not the user's input. */
export const EXIT_INTERNAL = 4;
/** A store is unreachable or refuses the credentials: try again later, or fix the setting. */
export const EXIT_UNAVAILABLE = 5;

/** Exit code of an error, most specific rule first. */
export function exitCodeOf(err: SluiceError): number {
  // An outage, whatever the command was doing when the store went away.
  if (err instanceof UnavailableError) return EXIT_UNAVAILABLE;
  // The tree names the object but the store lost it: damage, not a mistyped name.
  if (err instanceof ObjectNotFoundError) return EXIT_INTERNAL;
  if (err instanceof ValidationError) return EXIT_USAGE;
  if (err instanceof ConflictError || err instanceof PreconditionError) return EXIT_CONFLICT;
  if (err instanceof AuthError) return EXIT_CONFLICT;
  if (err instanceof NotFoundError) return EXIT_NOT_FOUND;
  if (err instanceof IntegrityError) return EXIT_INTERNAL;
  return EXIT_INTERNAL;
}

/** Any thrown value as a SluiceError; commander's usage errors become InvalidArgumentError. */
export function toCliError(err: unknown): SluiceError {
  if (err instanceof CommanderError) {
    const message = err.message.replace(/^error: /, '');
    return new InvalidArgumentError(message, { argument: 'command line', reason: err.code });
  }
  return toSluiceError(err);
}

/** The JSON document printed for an error under --json. */
export function errorDocument(err: SluiceError): {
  error: { code: string; message: string; data: unknown };
} {
  return { error: { code: err.code, message: err.message, data: err.data } };
}

/** Human lines for an error (printed on stderr, each already prefixed). */
export function errorLines(err: SluiceError): string[] {
  if (err instanceof MergeConflictError) {
    const [first = err.message] = err.message.split('\n');
    const lines = [`error: ${first}`];
    for (const c of err.data.conflicts) {
      lines.push(`  conflict: ${c.path} (source ${c.source}, destination ${c.destination})`);
    }
    const more = err.data.count - err.data.conflicts.length;
    if (more > 0) lines.push(`  … and ${more} more`);
    lines.push('hint: resolve them on one side, or merge with --strategy source-wins or dest-wins');
    return lines;
  }
  if (err instanceof GateFailedError) {
    const lines = [`error: ${errorLine(err)}`];
    for (const f of err.data.failed) {
      lines.push(
        `  ${f.status.toUpperCase()}  ${f.table}: ${f.name}${f.message ? ` — ${f.message}` : ''}`,
      );
      for (const row of (f.sample ?? []).slice(0, 5)) lines.push(`      ${JSON.stringify(row)}`);
    }
    for (const w of err.data.webhooks)
      lines.push(`  webhook ${w.url}: ${w.ok ? `ok (${w.status})` : `refused — ${w.reason}`}`);
    lines.push(
      `hint: fix the data on the source branch and merge again; ${err.data.branch} has not moved`,
    );
    return lines;
  }
  const [first = '', ...rest] = err.message.split('\n');
  const lines = [`error: ${first}`, ...rest];
  if (
    !(err instanceof ValidationError) &&
    exitCodeOf(err) === EXIT_INTERNAL &&
    process.env.SLUICE_DEBUG
  ) {
    const stack = (err.cause instanceof Error ? err.cause : err).stack;
    if (stack) lines.push(...stack.split('\n'));
  }
  return lines;
}
