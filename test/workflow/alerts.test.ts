// Alert delivery against a real HTTP server on loopback: payload shapes, retry and backoff,
// what is and is not retried, `on` filtering, timeouts and the total deadline.

import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Alert,
  type AlertSink,
  alertTypeMatches,
  type DeliveryAttempt,
  sendAlert,
  sinkAccepts,
} from '../../src/workflow/alerts.js';

interface Received {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A throwaway server: `respond` decides each response from the 0-based request count. */
interface Hook {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: Server[] = [];

async function hook(
  respond: (n: number, res: ServerResponse) => void = (_n, res) => res.end('ok'),
): Promise<Hook> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      const n = received.length;
      received.push({ path: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
      respond(n, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/secret-token`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

function status(code: number, body = '', headers: Record<string, string> = {}) {
  return (res: ServerResponse) => {
    res.writeHead(code, headers);
    res.end(body);
  };
}

const alert: Alert = {
  type: 'load.failed',
  title: 'Load orders failed its checks',
  text: '2 checks failed on ingest/orders/r1 <see branch> & more',
  severity: 'error',
  outcome: 'failure',
  refs: { branch: 'ingest/orders/r1', commit: 'abc123def456', runId: 'r1', target: 'main' },
  link: 'http://127.0.0.1:8000/runs/r1',
  details: { failed: [{ check: 'not_null', column: 'id', failing: 3 }] },
};

const fast = { backoffBaseMs: 5, jitter: false } as const;

describe('sendAlert payloads', () => {
  it('posts the alert as JSON to a generic webhook, with the sink headers and an alert id', async () => {
    const h = await hook();
    const sink: AlertSink = {
      name: 'ops',
      kind: 'webhook',
      url: h.url,
      headers: { authorization: 'Bearer t0ken' },
    };
    const res = await sendAlert([sink], alert, fast);
    expect(res.ok).toBe(true);
    expect(res.results).toEqual([
      expect.objectContaining({ sink: 'ops', kind: 'webhook', ok: true, attempts: 1, status: 200 }),
    ]);
    expect(h.received).toHaveLength(1);
    const got = h.received[0]!;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/hook/secret-token');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers.authorization).toBe('Bearer t0ken');
    expect(got.headers['x-sluice-alert-id']).toBe(res.alert.id);
    expect(got.body).toEqual({
      source: 'sluice',
      version: 1,
      id: res.alert.id,
      type: 'load.failed',
      severity: 'error',
      outcome: 'failure',
      time: res.alert.time,
      title: alert.title,
      text: alert.text,
      refs: alert.refs,
      link: alert.link,
      details: alert.details,
    });
    expect(Number.isNaN(Date.parse(res.alert.time))).toBe(false);
  });

  it('posts a Slack incoming-webhook message: fallback text, header, mrkdwn, ref fields', async () => {
    const h = await hook();
    const res = await sendAlert([{ name: 'slack', kind: 'slack', url: h.url }], alert, fast);
    expect(res.ok).toBe(true);
    const body = h.received[0]!.body as { text: string; blocks: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.text).toContain('Load orders failed its checks');
    expect(body.text).toContain('[error]');
    const [header, section, fields, ...rest] = body.blocks as [
      { type: string; text: { type: string; text: string } },
      { type: string; text: { type: string; text: string } },
      { type: string; fields: { type: string; text: string }[] },
      ...{ type: string; text?: { text: string }; elements?: { text: string }[] }[],
    ];
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: alert.title, emoji: true },
    });
    expect(section.type).toBe('section');
    expect(section.text.type).toBe('mrkdwn');
    // mrkdwn control characters are escaped so user text cannot forge links or mentions.
    expect(section.text.text).toBe(
      '2 checks failed on ingest/orders/r1 &lt;see branch&gt; &amp; more',
    );
    expect(fields.type).toBe('section');
    expect(fields.fields).toEqual([
      { type: 'mrkdwn', text: '*Branch*\n`ingest/orders/r1`' },
      { type: 'mrkdwn', text: '*Commit*\n`abc123def456`' },
      { type: 'mrkdwn', text: '*Run*\n`r1`' },
      { type: 'mrkdwn', text: '*Target*\n`main`' },
    ]);
    expect(rest.some((b) => b.text?.text.includes('"not_null"'))).toBe(true);
    expect(rest.some((b) => b.text?.text === `<${alert.link}|View details>`)).toBe(true);
    const context = rest.at(-1)!;
    expect(context.type).toBe('context');
    expect(context.elements?.[0]?.text).toContain('`load.failed`');
  });
});

describe('sendAlert retries', () => {
  it('retries a 500 and succeeds on the next attempt, reporting each attempt', async () => {
    const h = await hook((n, res) => (n === 0 ? status(500, 'boom')(res) : status(204)(res)));
    const attempts: DeliveryAttempt[] = [];
    const res = await sendAlert([{ name: 'ops', kind: 'webhook', url: h.url }], alert, {
      ...fast,
      onDelivery: (a) => {
        attempts.push(a);
      },
    });
    expect(res.ok).toBe(true);
    expect(res.results[0]).toMatchObject({ ok: true, attempts: 2, status: 204 });
    expect(attempts.map((a) => [a.attempt, a.status, a.ok, a.retrying])).toEqual([
      [1, 500, false, true],
      [2, 204, true, false],
    ]);
    expect(attempts[0]!.error).toContain('HTTP 500');
    expect(attempts[0]!.error).toContain('boom');
    // The same alert id on every attempt lets a receiver drop duplicates.
    expect(new Set(h.received.map((r) => r.headers['x-sluice-alert-id'])).size).toBe(1);
  });

  it('gives up after 1 + retries attempts on a persistent failure, reporting every attempt', async () => {
    const h = await hook((_n, res) => status(503)(res));
    const attempts: DeliveryAttempt[] = [];
    const started = Date.now();
    const res = await sendAlert([{ name: 'ops', kind: 'webhook', url: h.url, retries: 3 }], alert, {
      ...fast,
      onDelivery: async (a) => {
        attempts.push(a);
      },
    });
    expect(res.ok).toBe(false);
    expect(res.results[0]).toMatchObject({ sink: 'ops', ok: false, attempts: 4, status: 503 });
    expect(res.results[0]!.error).toContain('HTTP 503');
    expect(h.received).toHaveLength(4);
    expect(attempts.map((a) => [a.attempt, a.ok, a.retrying])).toEqual([
      [1, false, true],
      [2, false, true],
      [3, false, true],
      [4, false, false],
    ]);
    // Exponential backoff without jitter: 5 + 10 + 20 ms at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('retries 429 and connection failures', async () => {
    const h = await hook((n, res) =>
      n === 0 ? status(429, '', { 'retry-after': '0' })(res) : status(200)(res),
    );
    const res = await sendAlert([{ name: 'a', kind: 'webhook', url: h.url }], alert, fast);
    expect(res.results[0]).toMatchObject({ ok: true, attempts: 2 });

    const gone = await hook();
    const url = gone.url;
    await gone.close();
    const attempts: DeliveryAttempt[] = [];
    const res2 = await sendAlert([{ name: 'b', kind: 'webhook', url, retries: 2 }], alert, {
      ...fast,
      onDelivery: (a) => {
        attempts.push(a);
      },
    });
    expect(res2.results[0]).toMatchObject({ ok: false, attempts: 3 });
    expect(res2.results[0]!.status).toBeUndefined();
    expect(
      attempts.every((a) => a.status === undefined && /ECONNREFUSED/.test(a.error ?? '')),
    ).toBe(true);
    // The sink URL (a Slack webhook's secret) is never part of what gets recorded.
    expect(JSON.stringify(attempts)).not.toContain('secret-token');
  });

  it('does not retry a 400', async () => {
    const h = await hook((_n, res) => status(400, 'invalid_payload')(res));
    const attempts: DeliveryAttempt[] = [];
    const res = await sendAlert([{ name: 'slack', kind: 'slack', url: h.url, retries: 5 }], alert, {
      ...fast,
      onDelivery: (a) => {
        attempts.push(a);
      },
    });
    expect(res.results[0]).toMatchObject({ ok: false, attempts: 1, status: 400 });
    expect(res.results[0]!.error).toContain('invalid_payload');
    expect(h.received).toHaveLength(1);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.retrying).toBe(false);
  });

  it('never throws: an invalid URL and a throwing onDelivery become results', async () => {
    const h = await hook();
    const res = await sendAlert(
      [
        { name: 'bad', kind: 'webhook', url: 'ftp://127.0.0.1/x' },
        { name: 'good', kind: 'webhook', url: h.url },
      ],
      alert,
      {
        ...fast,
        onDelivery: () => {
          throw new Error('event log down');
        },
      },
    );
    expect(res.ok).toBe(false);
    expect(res.results.map((r) => [r.sink, r.ok])).toEqual([
      ['bad', false],
      ['good', true],
    ]);
    expect(res.results[0]!.error).toContain('http or https');
    expect(res.reportErrors).toHaveLength(2);
    expect(res.reportErrors[0]).toContain('event log down');
  });
});

describe('sendAlert routing and time limits', () => {
  it('delivers only to sinks whose `on` matches (exact, family, prefix, failures, *)', async () => {
    const h = await hook();
    const sinks: AlertSink[] = [
      { name: 'exact', kind: 'webhook', url: `${h.url}/exact`, on: ['load.failed'] },
      { name: 'prefix', kind: 'webhook', url: `${h.url}/prefix`, on: ['deploy.*', 'load.*'] },
      { name: 'family', kind: 'webhook', url: `${h.url}/family`, on: ['load'] },
      { name: 'deploys', kind: 'webhook', url: `${h.url}/deploys`, on: ['deploy.*'] },
      { name: 'failures', kind: 'webhook', url: `${h.url}/failures`, on: ['failures'] },
      { name: 'all', kind: 'webhook', url: `${h.url}/all` },
      { name: 'star', kind: 'slack', url: `${h.url}/star`, on: ['*'] },
      { name: 'none', kind: 'webhook', url: `${h.url}/none`, on: [] },
    ];
    const res = await sendAlert(sinks, alert, fast);
    expect(res.results.map((r) => r.sink)).toEqual([
      'exact',
      'prefix',
      'family',
      'failures',
      'all',
      'star',
    ]);
    expect(res.skipped).toEqual(['deploys', 'none']);
    expect(h.received.map((r) => r.path.split('/').at(-1)).sort()).toEqual([
      'all',
      'exact',
      'failures',
      'family',
      'prefix',
      'star',
    ]);

    const rollback = await sendAlert(
      sinks,
      { ...alert, type: 'rollback', severity: 'warning', outcome: 'success' },
      fast,
    );
    expect(rollback.results.map((r) => r.sink)).toEqual(['all', 'star']);
    expect(rollback.skipped).toEqual(['exact', 'prefix', 'family', 'deploys', 'failures', 'none']);

    expect(alertTypeMatches('load.*', 'load.failed')).toBe(true);
    expect(alertTypeMatches('load.*', 'load')).toBe(false);
    expect(alertTypeMatches('load.*', 'loader.failed')).toBe(false);
    expect(alertTypeMatches('load', 'load.failed')).toBe(true);
    expect(alertTypeMatches('load', 'loader.failed')).toBe(false);
    expect(alertTypeMatches('smoke.failed', 'smoke.failed')).toBe(true);
    expect(alertTypeMatches('smoke.failed', 'smoke')).toBe(false);
    const info = { type: 'deploy.done', severity: 'info' } as const;
    expect(alertTypeMatches('failures', info)).toBe(false);
    expect(alertTypeMatches('failures', { ...info, severity: 'critical' })).toBe(true);
    expect(alertTypeMatches('failures', { ...info, outcome: 'error' })).toBe(true);
    expect(alertTypeMatches('failures', { ...alert, outcome: 'success' })).toBe(false);
    expect(sinkAccepts({}, info)).toBe(true);
    expect(sinkAccepts({ on: [] }, info)).toBe(false);
  });

  it("uses a sink's own backoffMs unless the options override it", async () => {
    const h = await hook((n, res) => status(n < 2 ? 500 : 200)(res));
    const started = Date.now();
    const res = await sendAlert(
      [{ name: 'ops', kind: 'webhook', url: h.url, backoffMs: 100 }],
      alert,
      { jitter: false },
    );
    expect(res.results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300); // 100 + 200
  });

  it('delivers to several sinks concurrently', async () => {
    const slow = (_n: number, res: ServerResponse) => setTimeout(() => status(200)(res), 150);
    const a = await hook(slow);
    const b = await hook(slow);
    const started = Date.now();
    const res = await sendAlert(
      [
        { name: 'a', kind: 'webhook', url: a.url },
        { name: 'b', kind: 'slack', url: b.url },
      ],
      alert,
      fast,
    );
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(290);
  });

  it('times out a slow attempt, retries it, and reports the timeout', async () => {
    const h = await hook((n, res) => {
      if (n === 0) setTimeout(() => status(200)(res), 1000);
      else status(200)(res);
    });
    const attempts: DeliveryAttempt[] = [];
    const started = Date.now();
    const res = await sendAlert(
      [{ name: 'ops', kind: 'webhook', url: h.url, timeoutMs: 50 }],
      alert,
      {
        ...fast,
        onDelivery: (a) => {
          attempts.push(a);
        },
      },
    );
    expect(res.results[0]).toMatchObject({ ok: true, attempts: 2 });
    expect(attempts[0]).toMatchObject({ attempt: 1, ok: false, retrying: true });
    expect(attempts[0]!.error).toBe('timed out after 50 ms');
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('stops at the total deadline however many retries remain', async () => {
    const h = await hook((_n, res) => status(500)(res));
    const started = Date.now();
    const res = await sendAlert(
      [{ name: 'ops', kind: 'webhook', url: h.url, retries: 100 }],
      alert,
      { backoffBaseMs: 40, jitter: false, deadlineMs: 250 },
    );
    const elapsed = Date.now() - started;
    expect(res.ok).toBe(false);
    expect(res.results[0]!.ok).toBe(false);
    expect(res.results[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(res.results[0]!.attempts).toBeLessThan(10);
    expect(res.results[0]!.error).toMatch(/deadline/);
    expect(elapsed).toBeLessThan(600);
  });

  it('the deadline also cuts a hanging attempt short', async () => {
    const h = await hook(() => {}); // never answers
    const started = Date.now();
    const res = await sendAlert(
      [{ name: 'ops', kind: 'webhook', url: h.url, timeoutMs: 60_000 }],
      alert,
      { ...fast, deadlineMs: 100 },
    );
    expect(res.results[0]).toMatchObject({ ok: false, attempts: 1 });
    expect(res.results[0]!.error).toContain('deadline of 100 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
