// The audit trail: every mutating request is a `request` event with the authenticated actor, the
// client's address and the request id (the one the response names); reads and queries are not;
// refused requests (401, 403) are recorded too, but a burst from one address is one event; no
// secret reaches an event. `sluice events --actor` filters the log by who acted.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listEvents, recordEvent } from '../../src/index.js';
import { type ApiServer, startApiServer } from '../support/api-server.js';
import { buildOnce } from '../support/build-once.js';
import { runCli } from '../support/cli.js';

describe('the audit trail', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer();
  });
  afterAll(async () => s?.close());

  async function requests(): Promise<Record<string, unknown>[]> {
    const repo = await s.host.get(s.repository);
    const out: Record<string, unknown>[] = [];
    for await (const e of listEvents(repo, { types: ['request'] })) out.push(e as never);
    return out;
  }

  test('a write is an event with its actor, address and request id; a read or a query is not', async () => {
    const before = (await requests()).length;
    const res = await s.call('dev', {
      method: 'POST',
      url: `${s.base}/branches`,
      payload: { name: 'audited' },
    });
    expect(res.statusCode).toBe(201);
    const id = res.headers['x-request-id'];
    await s.call('dev', { method: 'GET', url: `${s.base}/branches` });
    await s.call('dev', { method: 'POST', url: `${s.base}/sql`, payload: { query: 'SELECT 1' } });
    const after = await requests();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({
      type: 'request',
      outcome: 'success',
      actor: 'dev',
      method: 'POST',
      route: '/api/v1/repositories/:repository/branches',
      status: 201,
      requestId: id,
      sourceAddress: '127.0.0.1',
    });
  });

  test('a refused write is recorded with its code; the denied user is the actor', async () => {
    const res = await s.call('viewer', {
      method: 'POST',
      url: `${s.base}/branches`,
      payload: { name: 'nope' },
    });
    expect(res.statusCode).toBe(403);
    expect((await requests()).at(-1)).toMatchObject({
      actor: 'viewer',
      outcome: 'failure',
      status: 403,
      errorCode: 'PermissionDeniedError',
    });
  });

  test('a burst of bad credentials from one address is one event, and no secret is in it', async () => {
    const before = (await requests()).length;
    for (let i = 0; i < 5; i++) {
      const res = await s.call(undefined, {
        method: 'GET',
        url: `${s.base}/branches`,
        headers: {
          authorization: `Basic ${Buffer.from('dev:guess-number-one').toString('base64')}`,
        },
      });
      expect(res.statusCode).toBe(401);
    }
    const after = await requests();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ actor: 'anonymous', status: 401 });
    expect(JSON.stringify(after)).not.toContain('guess-number-one');
  });

  test('sluice events --actor shows what one actor did', async () => {
    await buildOnce();
    const repo = await s.host.get(s.repository);
    await recordEvent(repo, {
      type: 'rollback',
      outcome: 'success',
      actor: 'ann',
      environment: 'production',
      deployId: 'd1',
      commit: 'c'.repeat(64),
    } as never);
    const r = await runCli(['--json', 'events', '--actor', 'dev'], {
      env: { SLUICE_REPO: s.root },
    });
    expect(r.code).toBe(0);
    const actors = new Set(r.json.events.map((e: { actor: string }) => e.actor));
    expect([...actors]).toEqual(['dev']);
    const ann = await runCli(['--json', 'events', '--actor', 'ann'], {
      env: { SLUICE_REPO: s.root },
    });
    expect(ann.json.events.map((e: { type: string }) => e.type)).toEqual(['rollback']);
  }, 300_000);
});
