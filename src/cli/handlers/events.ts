// `sluice events [--since 7d|ISO] [--until …] [--type load,deploy] [-n N]`: the event log — every
// load, check run, merge, build, promotion, deploy, rollback and alert — oldest first; with a
// limit, the newest N (still printed oldest first, like the end of a log).

import { InvalidArgumentError, listEvents } from '../../index.js';
import { describeEvent, EVENT_TYPES, type EventType, parseSince } from '../../workflow/index.js';
import { commaList, positiveInt } from '../options.js';
import { collect } from '../output.js';
import type { CommandContext } from '../runner.js';

interface EventsOptions {
  since?: string;
  until?: string;
  type?: string;
  limit?: string;
  actor?: string;
}

export async function run(ctx: CommandContext, opts: EventsOptions): Promise<number> {
  const now = new Date();
  const since = opts.since === undefined ? undefined : parseSince(opts.since, now, '--since');
  const until = opts.until === undefined ? undefined : parseSince(opts.until, now, '--until');
  const types = eventTypes(opts.type);
  const limit = positiveInt(opts.limit, '--limit');
  const repo = await ctx.repo();
  const filter = { since, until, types, ...(opts.actor ? { actor: opts.actor } : {}) };
  const events =
    limit === undefined
      ? await collect(listEvents(repo, filter))
      : (await collect(listEvents(repo, { ...filter, limit, order: 'desc' }))).reverse();
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
  return 0;
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
