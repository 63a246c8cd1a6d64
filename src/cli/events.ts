// The event of a command run directly: `sluice build | run | test | seed`, `sluice merge` and
// `sluice check`. The library calls behind them (buildProject, Gates.merge, runChecks) sit below
// the workflow layer and record nothing; the workflow code records the events of the runs it makes
// itself (load, promote, deploy). So each of these commands records its one event here, after the
// call, whether the call returned or threw — and nothing else records it twice.
//
// The data operation has already happened when its event is appended (a commit landed, a branch
// moved, results were stored). A failed append therefore never changes the command's exit code or
// its output: it is a warning on stderr, printed under --quiet too (the log now misses a record),
// and never on stdout (under --json that stays one document).
import type { Repository, StoredEvent, WorkflowEvent } from '../index.js';
import { recordEvent } from '../index.js';
import { errorLine } from '../internal.js';
import type { CommandContext } from './runner.js';
import { terminalText } from './terminal-text.js';

/**
 * Appends the event `make` returns (it may read the repository; undefined: nothing to record).
 * Returns it as stored, or undefined when it could not be made or appended — after a warning.
 */
async function recordCommandEvent(
  ctx: CommandContext,
  repo: Repository,
  type: WorkflowEvent['type'],
  make: () => WorkflowEvent | undefined | Promise<WorkflowEvent | undefined>,
): Promise<StoredEvent | undefined> {
  try {
    const event = await make();
    return event === undefined ? undefined : await recordEvent(repo, event);
  } catch (err) {
    ctx.io.stderr.write(
      `warning: ${terminalText(`the ${type} event was not recorded: ${errorLine(err)}`)}\n`,
    );
    return undefined;
  }
}

/**
 * Runs `op` and records its event: `done(value)` when it returns, `failed(err)` when it throws
 * (undefined: nothing to record), then throws the error on. Making an event may read the
 * repository; a failure there is a warning like a failed append.
 */
export async function withEvent<T>(
  ctx: CommandContext,
  repo: Repository,
  type: WorkflowEvent['type'],
  op: () => Promise<T>,
  events: {
    done: (value: T) => WorkflowEvent | Promise<WorkflowEvent>;
    failed: (err: unknown) => WorkflowEvent | undefined | Promise<WorkflowEvent | undefined>;
  },
): Promise<{ value: T; event: StoredEvent | undefined }> {
  let value: T;
  try {
    value = await op();
  } catch (err) {
    await recordCommandEvent(ctx, repo, type, () => events.failed(err));
    throw err;
  }
  const event = await recordCommandEvent(ctx, repo, type, () => events.done(value));
  return { value, event };
}
