// `sluice events [--since 7d|ISO] [--until …] [--type load,deploy] [-n N]`: the event log — every
// load, check run, merge, build, promotion, deploy, rollback and alert — oldest first; with a
// limit, the newest N (still printed oldest first, like the end of a log). The printing is shared
// with the remote command (remote/events.ts).

import { InvalidArgumentError, listEvents, type StoredEvent } from '../../index.js';
import { describeEvent, EVENT_TYPES, type EventType, parseSince } from '../../workflow/index.js';
import { commaList, positiveInt } from '../options.js';
import { collect } from '../output.js';
import type { CommandContext } from '../runner.js';

export interface EventsOptions {
  since?: string;
  until?: string;
  type?: string;
  limit?: string;
  actor?: string;
}

/** The command line's filters, checked before anything is opened (locally and remotely). */
export function eventsQuery(opts: EventsOptions) {
  const now = new Date();
  const since = opts.since === undefined ? undefined : parseSince(opts.since, now, '--since');
  const until = opts.until === undefined ? undefined : parseSince(opts.until, now, '--until');
  const types = eventTypes(opts.type);
  const limit = positiveInt(opts.limit, '--limit');
  return { since, until, types, limit, ...(opts.actor ? { actor: opts.actor } : {}) };
}

export async function run(ctx: CommandContext, opts: EventsOptions): Promise<number> {
  const { limit, ...filter } = eventsQuery(opts);
  const repo = await ctx.repo();
  const events =
    limit === undefined
      ? await collect(listEvents(repo, filter))
      : (await collect(listEvents(repo, { ...filter, limit, order: 'desc' }))).reverse();
  printEvents(ctx, events);
  return 0;
}

/** What both the local and the remote command print (remote/events.ts). */
export function printEvents(ctx: CommandContext, events: StoredEvent[]): void {
  ctx.out.result({ events }, () => {
    if (events.length === 0) {
      ctx.out.note('no events');
      return;
    }
    ctx.out.table(
      events.map((e) => [String(e.id), e.time, e.type, e.outcome, e.actor, describeEvent(e)]),
      [0],
    );
  });
}

function eventTypes(value: string | undefined): EventType[] | undefined {
  const names = commaList(value, '--type');
  if (names === undefined) return undefined;
  const known: readonly string[] = EVENT_TYPES;
  for (const n of names) {
    if (!known.includes(n)) {
      throw new InvalidArgumentError(
        `--type: unknown event type ${JSON.stringify(n)} (expected ${EVENT_TYPES.join(', ')})`,
        { argument: '--type', reason: `unknown event type ${n}` },
      );
    }
  }
  return names as EventType[];
}
