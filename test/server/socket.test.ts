// The server over a real socket, driven by real HTTP clients — fetch, the typed client
// (sluice/client), node:https with a CA — for what inject() cannot show: Basic auth and its
// refusals (401 with WWW-Authenticate, 429 with Retry-After past the failure limit), no CORS,
// body limits, path traversal, TLS, health, readiness and metrics, and that a secret never
// reaches a log line, an event or an error body.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSluiceClient, unwrap } from '../../src/client/index.js';
import { initRepository, PermissionDeniedError, UnauthenticatedError } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { basicAuth, secretOf, testAuthenticator } from '../support/test-auth.js';

const WRONG_SECRET = 'wrong-secret-that-must-not-leak-7f3a';
const FAILURE_LIMIT = 3;
const USERS = { dev: ['Developers'], viewer: ['Viewers'], guesser: ['Viewers'] };

/** Every line the server logged (pino's JSON), as text. */
class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

let dir: string;
let server: RunningServer;
let host: RepositoryHost;
let repository: string;
const log = new LogCapture();
const bodies: string[] = [];

/** fetch, keeping every response body to look for secrets at the end. */
async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  bodies.push(text);
  return new Response(text, { status: res.status, headers: res.headers });
}

const branches = (): string => `/api/v1/repositories/${repository}/branches`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-socket-'));
  await (await initRepository(dir)).close();
  host = await RepositoryHost.open(dir);
  repository = host.defaultRepository;
  server = await startServer({
    host,
    auth: testAuthenticator(USERS),
    port: 0,
    logger: { level: 'info', stream: log },
    failures: { limit: FAILURE_LIMIT, windowMs: 60_000 },
    processMetrics: false,
    signals: false,
    say: () => {},
  });
});

afterAll(async () => {
  await server?.stop({ force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('over a real socket', () => {
  it('serves /healthz, /readyz and the typed client with Basic auth', async () => {
    expect(await (await call('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await call('/readyz');
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');

    const client = createSluiceClient({
      url: server.url,
      accessKeyId: 'dev',
      secretAccessKey: secretOf('dev'),
    });
    const created = await unwrap(
      client.POST('/api/v1/repositories/{repository}/branches', {
        params: { path: { repository } },
        body: { name: 'feature' },
      }),
    );
    expect(created.name).toBe('feature');
    const listed = await unwrap(
      client.GET('/api/v1/repositories/{repository}/branches', {
        params: { path: { repository }, query: { amount: 100 } },
      }),
    );
    expect(listed.results.map((b) => b.name)).toContain('feature');
    // A viewer may read, not create: the server's error is the CLI's error class.
    const viewer = createSluiceClient({
      url: server.url,
      accessKeyId: 'viewer',
      secretAccessKey: secretOf('viewer'),
    });
    await expect(
      unwrap(
        viewer.POST('/api/v1/repositories/{repository}/branches', {
          params: { path: { repository } },
          body: { name: 'nope' },
        }),
      ),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('has CORS off: no Access-Control headers, preflights not answered', async () => {
    const origin = 'https://evil.example';
    const res = await call(branches(), { headers: { ...basicAuth('dev'), origin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call(branches(), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    for (const [name] of preflight.headers) expect(name).not.toMatch(/^access-control-/);
  });

  it('refuses an oversized JSON body with 413 PayloadTooLargeError', async () => {
    const res = await call(branches(), {
      method: 'POST',
      headers: { ...basicAuth('dev'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', source: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'PayloadTooLargeError',
    );
  });

  it('refuses path traversal in a path parameter with 400', async () => {
    for (const path of [
      `${branches()}/..%2F..%2Fetc%2Fpasswd`,
      `/api/v1/repositories/..%2F..%2Fetc/branches`,
    ]) {
      const res = await call(path, { headers: basicAuth('dev') });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBe(400);
    }
  });

  it('answers a wrong secret 401 with WWW-Authenticate, then 429 with Retry-After (last: the address is then limited)', async () => {
    const wrong = { headers: basicAuth('guesser', WRONG_SECRET) };
    for (let i = 0; i < FAILURE_LIMIT; i++) {
      const res = await call(branches(), wrong);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'UnauthenticatedError',
      );
    }
    const limited = await call(branches(), wrong);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe(
      'RateLimitedError',
    );
    // The right secret from that key is refused too until the window passes.
    expect((await call(branches(), { headers: basicAuth('guesser') })).status).toBe(429);
    // No credentials at all: 401 through the typed client as its error class.
    const anonymous = createSluiceClient({ url: server.url });
    await expect(
      unwrap(
        anonymous.GET('/api/v1/repositories/{repository}/branches', {
          params: { path: { repository }, query: { amount: 10 } },
        }),
      ),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('counts requests by route and status in /metrics (Prometheus text)', async () => {
    const res = await call('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain(
      `sluice_http_requests_total{method="GET",route="/api/v1/repositories/:repository/branches",status="200"}`,
    );
    expect(text).toMatch(/sluice_http_requests_total\{[^}]*status="401"\} [1-9]/);
    expect(text).toContain('sluice_http_request_duration_seconds_bucket');
    expect(text).toMatch(/sluice_auth_failures_total\{status="429"\} [1-9]/);
  });

  it('never puts a secret in a log line, an event or an error body', async () => {
    const events: string[] = [];
    for await (const e of host.meta.listEvents(repository)) events.push(JSON.stringify(e));
    expect(events.some((e) => e.includes('"status":401'))).toBe(true); // refusals are recorded
    expect(log.text).toContain('"reqId"');
    const secrets = [WRONG_SECRET, ...Object.keys(USERS).map(secretOf)];
    // The Basic header itself, base64: never logged either.
    secrets.push(...Object.keys(USERS).map((u) => basicAuth(u).authorization.slice(6)));
    for (const secret of secrets) {
      expect(log.text).not.toContain(secret);
      for (const e of events) expect(e).not.toContain(secret);
      for (const b of bodies) expect(b).not.toContain(secret);
    }
  });
});

/** openssl, if this machine has it. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('over TLS', () => {
  let tlsDir: string;
  let tlsServer: RunningServer;
  let ca: Buffer;

  beforeAll(async () => {
    tlsDir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    const key = join(tlsDir, 'key.pem');
    const cert = join(tlsDir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(cert);
    await (await initRepository(join(tlsDir, 'repo'))).close();
    tlsServer = await startServer({
      host: await RepositoryHost.open(join(tlsDir, 'repo')),
      auth: testAuthenticator(USERS),
      port: 0,
      tls: { key: readFileSync(key), cert: ca },
      logger: false,
      processMetrics: false,
      signals: false,
      say: () => {},
    });
  });

  afterAll(async () => {
    await tlsServer?.stop({ force: true });
    rmSync(tlsDir, { recursive: true, force: true });
  });

  function get(path: string, trust?: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        `${tlsServer.url}${path}`,
        { headers: basicAuth('dev'), ...(trust ? { ca: trust } : {}) },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('serves HTTPS to a client that trusts its CA, and only to it', async () => {
    expect(tlsServer.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get('/api/v1/server', ca);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).defaultRepository).toBeTruthy();
    await expect(get('/api/v1/server')).rejects.toThrow(/self[- ]signed/i);
    // Plain HTTP to the TLS port is not served.
    await expect(fetch(tlsServer.url.replace('https:', 'http:'))).rejects.toThrow();
  });
});
