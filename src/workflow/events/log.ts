// The workflow's event log: every load, check run, merge, build, promotion, deploy, rollback and
// alert delivery, appended to the MetaStore's append-only log and read back as typed events.
//
// Storage split: the fields naming things (REF_FIELDS: branch, commit, run id, environment …) go
// to the record's `refs`, everything else to its `data`; reading merges them back, so a stored
// event is its kind's fields plus `id`, `time` (ISO-8601, ms) and `actor`.

import { userInfo } from 'node:os';
import { currentActor } from '../../common/actor.js';
import type { Repository } from '../../core/repository.js';
import type { EventRecord } from '../../meta/meta-store.js';
import { invalidArgument, toDate } from './times.js';
import {
  EVENT_TYPES,
  type EventType,
  OUTCOMES,
  type StoredEvent,
  type WorkflowEvent,
} from './types.js';

/** Fields that name things: stored in the record's refs (string values only). */
const REF_FIELDS = new Set([
  'ingestor',
  'runId',
  'branch',
  'target',
  'commit',
  'mergeCommit',
  'ref',
  'source',
  'sourceCommit',
  'destination',
  'environment',
  'deployId',
  'fromCommit',
  'fromDeployId',
  'builtCommit',
  'promoteId',
  'colour',
  'sink',
  'alertId',
]);
const BASE_FIELDS = new Set(['type', 'outcome', 'time', 'actor', 'id']);
const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const KNOWN_OUTCOMES: ReadonlySet<string> = new Set(OUTCOMES);

/** The request's user on the server (actor.ts), else $SLUICE_ACTOR, else $SLUICE_USER (who commits), else the OS user, else `sluice`. */
export function defaultActor(): string {
  const acting = currentActor();
  if (acting) return acting;
  const env = process.env.SLUICE_ACTOR || process.env.SLUICE_USER;
  if (env) return env;
  try {
    return userInfo().username || 'sluice';
  } catch {
    return 'sluice'; // no passwd entry for this uid (some containers)
  }
}

/** Appends `event` to the repository's log; returns it as stored (with its id). */
export async function recordEvent(repo: Repository, event: WorkflowEvent): Promise<StoredEvent> {
  if (!KNOWN_TYPES.has(event.type))
    throw invalidArgument('type', `unknown event type ${event.type}`);
  if (!KNOWN_OUTCOMES.has(event.outcome))
    throw invalidArgument('outcome', `outcome must be one of ${OUTCOMES.join(', ')}`);
  const time = event.time === undefined ? new Date() : toDate(event.time, 'time');
  const refs: Record<string, string> = {};
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    if (v === undefined || BASE_FIELDS.has(k)) continue;
    if (REF_FIELDS.has(k) && typeof v === 'string') refs[k] = v;
    else data[k] = v;
  }
  const rec = await repo.meta.appendEvent(repo.name, {
    time,
    type: event.type,
    actor: event.actor ?? defaultActor(),
    outcome: event.outcome,
    refs,
    data,
  });
  return toStoredEvent(rec) as StoredEvent;
}

export interface EventFilter {
  /** Only events at or after this time. */
  since?: Date;
  /** Only events before this time. */
  until?: Date;
  /** Only these kinds (default: all). */
  types?: readonly EventType[];
  /** Only events by this actor (a user of the server, an ingestor's actor …). */
  actor?: string;
  /** Only events with a greater id (a cursor for tailing the log). */
  afterId?: number;
  beforeId?: number;
  limit?: number;
  /** `desc`: newest first. Default `asc`, the order they were appended. */
  order?: 'asc' | 'desc';
}

/** The repository's events, in id order. Kinds this version does not know are left out. */
export async function* listEvents(
  repo: Repository,
  filter: EventFilter = {},
): AsyncIterable<StoredEvent> {
  const types = [...(filter.types ?? EVENT_TYPES)];
  for await (const rec of repo.meta.listEvents(repo.name, { ...filter, types })) {
    const e = toStoredEvent(rec);
    if (e) yield e;
  }
}

/** A stored record as a typed event (undefined for a kind this version does not know). */
export function toStoredEvent(rec: EventRecord): StoredEvent | undefined {
  if (!KNOWN_TYPES.has(rec.type)) return undefined;
  const base = {
    id: rec.id,
    time: rec.time.toISOString(),
    type: rec.type,
    outcome: rec.outcome,
    actor: rec.actor,
  };
  // The base fields first (JSON key order) and last (they win over anything in data or refs).
  return Object.assign({ ...base }, rec.data, rec.refs, base) as unknown as StoredEvent;
}
