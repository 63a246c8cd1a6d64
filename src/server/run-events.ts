// The event of an operation the server runs directly, as the CLI records it (cli/events.ts): the
// check and build calls record nothing themselves, so their run records its one event after the
// call, whether the call returned or threw. A failed append never changes the outcome: it is a
// warning line in the run's log, as it is a warning on the CLI's stderr.
import { type Repository, recordEvent, type StoredEvent, type WorkflowEvent } from '../index.js';
import { errorLine } from '../internal.js';
import type { RunLog } from './runs.js';

export async function recordRunEvent(
  log: RunLog,
  repo: Repository,
  type: WorkflowEvent['type'],
  make: () => WorkflowEvent | undefined | Promise<WorkflowEvent | undefined>,
): Promise<StoredEvent | undefined> {
  try {
    const event = await make();
    return event === undefined ? undefined : await recordEvent(repo, event);
  } catch (err) {
    log(`warning: the ${type} event was not recorded: ${errorLine(err)}`);
    return undefined;
  }
}
