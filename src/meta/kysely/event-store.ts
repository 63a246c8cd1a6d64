// EventStore over Kysely: an append-only log per repository. Ids come from a per-repository
// sequence row bumped inside the appending transaction, which serializes appenders so ids are
// gapless and commit in order.
import { InvalidArgumentError } from '../../common/errors.js';
import type { EventInput, EventQuery, EventRecord, EventStore } from '../meta-store.js';
import { toEvent } from '../rows.js';
import type { EventsTable } from '../schema.js';
import type { MetaDb } from './meta-db.js';

/** Events per page of event listings. */
const EVENT_PAGE = 500;

export class KyselyEventStore implements EventStore {
  constructor(private readonly m: MetaDb) {}

  async appendEvent(repo: string, ev: EventInput): Promise<EventRecord> {
    const time = ev.time ?? new Date();
    if (!Number.isFinite(time.getTime())) {
      throw new InvalidArgumentError(`event time is not a valid date`, {
        argument: 'time',
        reason: 'invalid date',
      });
    }
    const refs = JSON.stringify(ev.refs ?? {});
    const data = JSON.stringify(ev.data ?? {});
    return this.m.write(async (db) => {
      // Bumping the sequence row locks it until this transaction ends, so concurrent appenders
      // queue here and commit in id order (SQLite's write lock does the same).
      const seq = await db
        .insertInto('event_sequences')
        .values({ repo, last_id: 1 })
        .onConflict((oc) =>
          oc
            .column('repo')
            .doUpdateSet((eb) => ({ last_id: eb('event_sequences.last_id', '+', 1) })),
        )
        .returning('last_id')
        .executeTakeFirstOrThrow();
      const row: EventsTable = {
        repo,
        id: Number(seq.last_id),
        occurred_at: time.getTime(),
        type: ev.type,
        actor: ev.actor,
        outcome: ev.outcome,
        refs,
        data,
      };
      await db.insertInto('events').values(row).execute();
      return toEvent(row);
    });
  }

  async *listEvents(repo: string, query: EventQuery = {}): AsyncGenerator<EventRecord> {
    const { since, until, types, actor } = query;
    if (types?.length === 0) return;
    const desc = query.order === 'desc';
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    // Keyset pagination on the id: each page starts past the last id of the one before.
    let after = query.afterId;
    let before = query.beforeId;
    while (remaining > 0) {
      const n = Math.min(EVENT_PAGE, remaining);
      const rows = await this.m.db
        .selectFrom('events')
        .selectAll()
        .where('repo', '=', repo)
        .$if(after !== undefined, (q) => q.where('id', '>', after as number))
        .$if(before !== undefined, (q) => q.where('id', '<', before as number))
        .$if(since !== undefined, (q) => q.where('occurred_at', '>=', (since as Date).getTime()))
        .$if(until !== undefined, (q) => q.where('occurred_at', '<', (until as Date).getTime()))
        .$if(types !== undefined, (q) => q.where('type', 'in', types as string[]))
        .$if(actor !== undefined, (q) => q.where('actor', '=', actor as string))
        .orderBy('id', desc ? 'desc' : 'asc')
        .limit(n)
        .execute();
      for (const r of rows) yield toEvent(r);
      remaining -= rows.length;
      const last = rows.at(-1);
      if (rows.length < n || last === undefined) return;
      if (desc) before = Number(last.id);
      else after = Number(last.id);
    }
  }
}
