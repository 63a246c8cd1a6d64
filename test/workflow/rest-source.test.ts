// The REST source against a throwaway HTTP server on loopback: page, cursor and link pagination
// into one NDJSON file; 5xx and 429 retried with backoff, then a clean failure; 4xx at once;
// invalid JSON and misplaced records fail naming the URL and page, leaving no file behind;
// ${ENV} secrets are sent as headers and never appear in an error.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MissingEnvVarError, SourceFetchError } from '../../src/common/errors.js';
import { ingest } from '../../src/tables/ingest.js';
import {
  findIngestor,
  loadWorkflowConfig,
  type Pagination,
  type RestSource,
} from '../../src/workflow/config/index.js';
import {
  evalJsonPath,
  type JsonPath,
  parseJsonPath,
} from '../../src/workflow/sources/json-path.js';
import { fetchRestSource } from '../../src/workflow/sources/rest.js';
import { openTestRepo } from '../tables/support.js';

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;

const SECRET = 'tok-9f8e7d6c5b4a';
const API_KEY = 'key-0a1b2c3d4e';
const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }));

let server: Server;
let other: Server;
let base: string;
let otherBase: string;
/** Requests per path, for counting attempts. */
const hits = new Map<string, number>();
/** Headers seen per path. */
const seen = new Map<string, IncomingMessage['headers']>();
let tmp: string;

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const routes: Record<string, Handler> = {
  '/page': (_req, url, res) => {
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('size') ?? 3);
    json(res, 200, { data: ITEMS.slice((page - 1) * size, page * size) });
  },
  '/cursor': (_req, url, res) => {
    const after = Number(url.searchParams.get('after') ?? 0);
    const chunk = ITEMS.filter((i) => i.id > after).slice(0, 3);
    const last = chunk.at(-1)?.id;
    json(res, 200, {
      items: chunk,
      meta: { next: last !== undefined && last < ITEMS.length ? String(last) : null },
    });
  },
  '/link/1': (_req, _url, res) =>
    json(res, 200, { results: [{ rows: ITEMS.slice(0, 2) }], links: { next: '/link/2?x=1' } }),
  '/link/2': (_req, url, res) =>
    json(res, 200, {
      results: [{ rows: url.searchParams.get('x') === '1' ? ITEMS.slice(2, 4) : [] }],
      links: { next: `${base}/link/3` },
    }),
  '/link/3': (_req, _url, res) => json(res, 200, { results: [{ rows: ITEMS.slice(4) }] }),
  '/flaky': (_req, _url, res) =>
    (hits.get('/flaky') ?? 0) <= 2
      ? json(res, 503, { error: 'busy' })
      : json(res, 200, ITEMS.slice(0, 2)),
  '/throttled': (_req, _url, res) =>
    (hits.get('/throttled') ?? 0) === 1
      ? json(res, 429, { error: 'slow down' }, { 'retry-after': '0' })
      : json(res, 200, ITEMS.slice(0, 1)),
  '/down': (req, _url, res) =>
    // Echoes the request's credentials, as some servers do: they must not reach the message.
    json(res, 500, { error: `internal error for ${req.headers.authorization}` }),
  '/missing': (_req, _url, res) => json(res, 404, { error: 'no such thing' }),
  '/bad-json': (_req, url, res) => {
    if (url.searchParams.get('page') === '1') json(res, 200, { data: ITEMS.slice(0, 2) });
    else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data": [{"id": 3}, ');
    }
  },
  '/not-array': (_req, _url, res) => json(res, 200, { data: { id: 1 } }),
  '/not-object': (_req, _url, res) => json(res, 200, [{ id: 1 }, 2]),
  '/secret': (req, _url, res) =>
    req.headers.authorization === `Bearer ${SECRET}` && req.headers['x-api-key'] === API_KEY
      ? json(res, 200, ITEMS.slice(0, 3))
      : json(res, 401, { error: `bad credentials ${req.headers.authorization}` }),
  '/endless': (_req, url, res) => json(res, 200, [{ id: Number(url.searchParams.get('page')) }]),
  '/slow': (_req, _url, res) => {
    setTimeout(() => json(res, 200, []), 500);
  },
  '/away': (_req, _url, res) => {
    res.writeHead(302, { location: `${otherBase}/collect` });
    res.end();
  },
  '/moved': (_req, _url, res) => {
    res.writeHead(301, { location: '/page?size=100' });
    res.end();
  },
};

const listen = (s: Server) =>
  new Promise<string>((ok) =>
    s.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    seen.set(url.pathname, req.headers);
    const route = routes[url.pathname];
    if (route) route(req, url, res);
    else json(res, 404, { error: 'no route' });
  });
  other = createServer((req, res) => {
    seen.set(`other:${req.url}`, req.headers);
    json(res, 200, []);
  });
  base = await listen(server);
  otherBase = await listen(other);
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await new Promise((ok) => other.close(ok));
});
beforeEach(() => {
  hits.clear();
  seen.clear();
  tmp = mkdtempSync(join(tmpdir(), 'sluice-rest-test-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const path = (s: string): JsonPath => parseJsonPath(s) as JsonPath;

function source(url: string, over: Partial<RestSource> = {}): RestSource {
  return {
    url: `${base}${url}`,
    method: 'GET',
    headers: {},
    records: path('$'),
    pagination: { type: 'none' },
    maxPages: 1000,
    timeoutMs: 5000,
    retries: 3,
    backoffMs: 1,
    ...over,
  };
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

async function failure(p: Promise<unknown>): Promise<SourceFetchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFetchError);
    return err as SourceFetchError;
  }
  throw new Error('expected a SourceFetchError');
}

describe('pagination', () => {
  it('page: counts pages from start until a short page', async () => {
    const pagination: Pagination = {
      type: 'page',
      param: 'page',
      start: 1,
      sizeParam: 'size',
      size: 3,
    };
    const r = await fetchRestSource(source('/page', { records: path('$.data'), pagination }), {
      tmpDir: tmp,
    });
    expect(r).toMatchObject({ records: 7, pages: 3 });
    expect(lines(r.file)).toEqual(ITEMS);
    expect(r.file.startsWith(tmp)).toBe(true);
    await r.cleanup();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('page: without a size, stops at the first empty page', async () => {
    const pagination: Pagination = { type: 'page', param: 'page', start: 1 };
    const r = await fetchRestSource(source('/page', { records: path('$.data'), pagination }), {
      tmpDir: tmp,
    });
    expect(r).toMatchObject({ records: 7, pages: 4 });
    expect(lines(r.file)).toEqual(ITEMS);
  });

  it('cursor: sends the cursor from the previous body until it is null', async () => {
    const pagination: Pagination = { type: 'cursor', param: 'after', next: path('$.meta.next') };
    const pages: number[] = [];
    const r = await fetchRestSource(source('/cursor', { records: path('$.items'), pagination }), {
      tmpDir: tmp,
      onPage: (p) => pages.push(p.records),
    });
    expect(r).toMatchObject({ records: 7, pages: 3 });
    expect(pages).toEqual([3, 3, 1]);
    expect(lines(r.file)).toEqual(ITEMS);
  });

  it('link: follows relative and absolute next links until there is none', async () => {
    const pagination: Pagination = { type: 'link', next: path('$.links.next') };
    const r = await fetchRestSource(
      source('/link/1', { records: path('$.results[0].rows'), pagination }),
      { tmpDir: tmp },
    );
    expect(r).toMatchObject({ records: 7, pages: 3 });
    expect(lines(r.file)).toEqual(ITEMS);
  });

  it('more pages than max_pages is an error, not a silent truncation', async () => {
    const pagination: Pagination = { type: 'page', param: 'page', start: 1 };
    const err = await failure(
      fetchRestSource(source('/endless', { pagination, maxPages: 4 }), { tmpDir: tmp }),
    );
    expect(err.message).toMatch(/more than max_pages \(4\) pages/);
    expect(err.data).toMatchObject({ page: 5, reason: 'too many pages' });
    expect(hits.get('/endless')).toBe(4);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('follows a same-origin redirect', async () => {
    const r = await fetchRestSource(source('/moved', { records: path('$.data') }), { tmpDir: tmp });
    expect(r.records).toBe(7);
  });
});

describe('HTTP errors', () => {
  it('retries a 5xx with backoff, then succeeds', async () => {
    const r = await fetchRestSource(source('/flaky'), { tmpDir: tmp });
    expect(r.records).toBe(2);
    expect(hits.get('/flaky')).toBe(3);
  });

  it('retries a 429', async () => {
    const r = await fetchRestSource(source('/throttled'), { tmpDir: tmp });
    expect(r.records).toBe(1);
    expect(hits.get('/throttled')).toBe(2);
  });

  it('a persistent 5xx fails cleanly after retries + 1 attempts', async () => {
    const err = await failure(fetchRestSource(source('/down', { retries: 2 }), { tmpDir: tmp }));
    expect(hits.get('/down')).toBe(3);
    expect(err.code).toBe('SourceFetchError');
    expect(err.message).toContain(`GET ${base}/down (page 1): HTTP 500`);
    expect(err.message).toContain('after 3 attempts');
    expect(err.data).toMatchObject({ url: `${base}/down`, page: 1, status: 500, attempts: 3 });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('waits longer between each attempt (exponential backoff)', async () => {
    const started = Date.now();
    await failure(fetchRestSource(source('/down', { retries: 3, backoffMs: 40 }), { tmpDir: tmp }));
    // 40 + 80 + 160 ms of waiting at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(270);
  });

  it('a 404 fails at once, without retrying', async () => {
    const err = await failure(fetchRestSource(source('/missing'), { tmpDir: tmp }));
    expect(hits.get('/missing')).toBe(1);
    expect(err.message).toMatch(/HTTP 404 Not Found: ".*no such thing/);
    expect(err.data).toMatchObject({ status: 404, attempts: 1 });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a timeout is retried, then fails cleanly', async () => {
    const err = await failure(
      fetchRestSource(source('/slow', { timeoutMs: 50, retries: 1 }), { tmpDir: tmp }),
    );
    expect(hits.get('/slow')).toBe(2);
    expect(err.data.reason).toBe('timeout');
    expect(err.message).toMatch(/no complete answer within 50 ms after 2 attempts/);
  });

  it('an unreachable server is retried, then fails cleanly', async () => {
    const dead = createServer();
    const url = await listen(dead);
    await new Promise((ok) => dead.close(ok));
    const err = await failure(
      fetchRestSource({ ...source(''), url: `${url}/x`, retries: 1 }, { tmpDir: tmp }),
    );
    expect(err.data).toMatchObject({ reason: 'network', attempts: 2 });
    expect(err.message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });
});

describe('bad bodies', () => {
  it('invalid JSON fails naming the URL and page, and leaves no file behind', async () => {
    const pagination: Pagination = { type: 'page', param: 'page', start: 1 };
    const err = await failure(
      fetchRestSource(source('/bad-json', { records: path('$.data'), pagination }), {
        tmpDir: tmp,
      }),
    );
    expect(err.message).toContain(
      `GET ${base}/bad-json?page=2 (page 2): the response is not valid JSON`,
    );
    expect(err.data).toMatchObject({ page: 2, reason: 'invalid JSON' });
    expect(hits.get('/bad-json')).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a records path that does not hold an array fails', async () => {
    const err = await failure(
      fetchRestSource(source('/not-array', { records: path('$.data') }), { tmpDir: tmp }),
    );
    expect(err.message).toMatch(/the records path \$.data holds an object, not an array/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a records path that is not in the body fails', async () => {
    const err = await failure(
      fetchRestSource(source('/not-array', { records: path('$.items') }), { tmpDir: tmp }),
    );
    expect(err.message).toMatch(/the records path \$.items is not in the response/);
  });

  it('a record that is not an object fails', async () => {
    const err = await failure(fetchRestSource(source('/not-object'), { tmpDir: tmp }));
    expect(err.message).toMatch(/record 2 at \$ is a number \(2\), not an object/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('secrets in headers', () => {
  const headers = { Authorization: `Bearer \${SRC_TOKEN}`, 'X-Api-Key': `\${SRC_KEY}` };
  const env = { SRC_TOKEN: SECRET, SRC_KEY: API_KEY };

  it(`sends the values of \${ENV} references`, async () => {
    const r = await fetchRestSource(source('/secret', { headers }), { tmpDir: tmp, env });
    expect(r.records).toBe(3);
    expect(seen.get('/secret')?.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen.get('/secret')?.accept).toBe('application/json');
  });

  it('never puts them in an error, even when the server echoes them', async () => {
    for (const [route, retries] of [
      ['/down', 1],
      ['/secret', 0],
    ] as const) {
      const err = await failure(
        fetchRestSource(source(route, { headers, retries }), {
          tmpDir: tmp,
          env: { SRC_TOKEN: SECRET, SRC_KEY: 'wrong-key-123' },
        }),
      );
      const text = JSON.stringify({ message: err.message, data: err.data, stack: err.stack });
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('wrong-key-123');
      expect(err.message).toContain('Bearer ***');
    }
  });

  it(`resolves \${ENV} in the URL too, and keeps it out of errors`, async () => {
    const ok = await fetchRestSource(
      { ...source(''), url: `${base}/page?size=100&key=\${SRC_KEY}`, records: path('$.data') },
      { tmpDir: tmp, env },
    );
    expect(ok.records).toBe(7);
    const err = await failure(
      fetchRestSource(
        { ...source(''), url: `${base}/missing?key=\${SRC_KEY}` },
        { tmpDir: tmp, env },
      ),
    );
    expect(err.message).toContain(`${base}/missing?key=***`);
    expect(JSON.stringify({ m: err.message, d: err.data })).not.toContain(API_KEY);
  });

  it('a missing variable is an error naming it, before any request', async () => {
    let err: unknown;
    try {
      await fetchRestSource(source('/secret', { headers }), {
        tmpDir: tmp,
        env: { SRC_TOKEN: SECRET },
        where: 'sluice.yml:4: ingestor orders',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingEnvVarError);
    expect((err as MissingEnvVarError).message).toBe(
      'sluice.yml:4: ingestor orders: header X-Api-Key: the environment variable SRC_KEY is not set',
    );
    expect((err as MissingEnvVarError).data.variable).toBe('SRC_KEY');
    expect(hits.get('/secret')).toBeUndefined();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a value that is not valid in a header is refused without quoting it', async () => {
    const err = await failure(
      fetchRestSource(source('/secret', { headers }), {
        tmpDir: tmp,
        env: { SRC_TOKEN: `${SECRET}\nX-Evil: 1`, SRC_KEY: API_KEY },
      }),
    );
    expect(err.message).not.toContain(SECRET);
    expect(err.data.reason).toBe('invalid header');
    expect(hits.get('/secret')).toBeUndefined();
  });

  it('does not follow a redirect to another origin with them', async () => {
    const err = await failure(fetchRestSource(source('/away', { headers }), { tmpDir: tmp, env }));
    expect(err.data.reason).toBe('cross-origin redirect');
    expect(seen.get('other:/collect')).toBeUndefined();
  });
});

describe('the file is ready for ingest()', () => {
  it('ingests as NDJSON into a table', async () => {
    const t = await openTestRepo('rest');
    try {
      const pagination: Pagination = { type: 'cursor', param: 'after', next: path('$.meta.next') };
      const r = await fetchRestSource(source('/cursor', { records: path('$.items'), pagination }), {
        tmpDir: tmp,
      });
      const result = await ingest(t.repo, r.file, {
        table: 'items',
        format: 'ndjson',
        commit: { message: 'load items' },
      });
      await r.cleanup();
      expect(result.rowsWritten).toBe(7);
      const rows = await t.rows('SELECT id, name FROM items ORDER BY id');
      expect(rows.map((x) => Number(x.id))).toEqual(ITEMS.map((i) => i.id));
    } finally {
      await t.close();
    }
  });
});

describe('from sluice.yml to the file', () => {
  it('fetches what a configured rest ingestor declares', async () => {
    writeFileSync(
      join(tmp, 'sluice.yml'),
      `ingestors:
  - name: items
    kind: rest
    url: ${base}/link/1
    records: $.results[0].rows
    pagination: {type: link, next: $.links.next}
    table: items
    backoff: 1ms
`,
    );
    const ing = findIngestor(loadWorkflowConfig(tmp), 'items');
    if (ing.kind !== 'rest') throw new Error('expected a rest ingestor');
    const r = await fetchRestSource(ing, { tmpDir: tmp });
    expect(r).toMatchObject({ records: 7, pages: 3 });
    expect(lines(r.file)).toEqual(ITEMS);
  });
});

describe('JSON paths', () => {
  const body = { a: { b: [{ c: 1 }, { 'odd key': [2] }] }, top: [3] };
  it.each([
    ['$', body],
    ['$.a.b[0].c', 1],
    ["$.a.b[1]['odd key'][0]", 2],
    ['$["top"][0]', 3],
    ['$.a.missing', undefined],
    ['$.a.b[5]', undefined],
    ['$.top.x', undefined],
  ])('%s', (text, expected) => {
    expect(evalJsonPath(path(text), body)).toEqual(expected);
  });
  it.each(['a.b', '$.', '$.a[', '$..a', '$.a[-1]', '$a'])('refuses %s', (text) => {
    expect(typeof parseJsonPath(text)).toBe('string');
  });
});
