// Publishing a working directory's rules on the repository (`sluice config push`) as a recorded
// change: the push itself is quality/config-push.ts; a change of the rules every client enforces
// is a `config` event with its actor — success when it landed, failure when the default branch's
// gate refused it, error when it could not finish. Validation comes first and records nothing; a
// push that changes nothing writes nothing, the log included.
import { errorLine } from '../common/error-line.js';
import { GateFailedError } from '../common/errors.js';
import { newRunId } from '../common/run-id.js';
import type { Repository } from '../core/repository.js';
import { type ConfigPush, configFilesOf, pushConfig } from '../quality/config-push.js';
import { defaultActor, recordEvent, type StoredEvent } from './events/index.js';
import type { ConfigEvent } from './events/types.js';

export interface PublishConfigOptions {
  /** The push commit's message (default: what changed). */
  message?: string;
  /** Who publishes (default: $SLUICE_ACTOR, else $SLUICE_USER, else the OS user). */
  actor?: string;
}

export interface PublishedChange {
  push: ConfigPush;
  /** The event recorded (absent when nothing changed, or when it could not be appended). */
  event?: StoredEvent;
  /** Why the event could not be appended (the change itself landed). */
  eventError?: string;
}

/**
 * Publishes `dir`'s rules on `repo` (see quality/config-push.ts) and records the change. Throws
 * what the push throws (GateFailedError when the default branch's gate refuses it) after
 * recording it.
 */
export async function publishConfig(
  repo: Repository,
  dir: string,
  opts: PublishConfigOptions = {},
): Promise<PublishedChange> {
  const files = configFilesOf(dir);
  const id = newRunId();
  const actor = opts.actor ?? defaultActor();
  const startedAt = Date.now();
  const branch = repo.defaultBranch;
  let push: ConfigPush;
  let tried: ConfigPush | undefined;
  try {
    push = await pushConfig(repo, files, {
      id,
      actor,
      ...(opts.message ? { message: opts.message } : {}),
      onAttempt: (p) => {
        tried = p;
      },
    });
  } catch (err) {
    const refused = err instanceof GateFailedError;
    await recordEvent(repo, {
      type: 'config',
      outcome: refused ? 'failure' : 'error',
      actor,
      branch,
      runId: id,
      fromCommit:
        tried?.from ??
        (await repo.getBranch(branch).then(
          (b) => b.head as string,
          () => '',
        )),
      files: tried?.files ?? [],
      gates: tried?.gates ?? { added: [], changed: [], removed: [] },
      ...(refused ? { refusedBy: err.data.webhooks.filter((w) => !w.ok).map((w) => w.url) } : {}),
      reason: errorLine(err),
      durationMs: Date.now() - startedAt,
    }).catch(() => undefined);
    throw err;
  }
  if (!push.commit) return { push };
  const event: ConfigEvent = {
    type: 'config',
    outcome: 'success',
    actor,
    branch,
    runId: id,
    fromCommit: push.from,
    commit: push.commit.id,
    files: push.files,
    gates: push.gates,
    durationMs: Date.now() - startedAt,
  };
  try {
    return { push, event: await recordEvent(repo, event) };
  } catch (err) {
    return { push, eventError: errorLine(err) };
  }
}
