// OpenLineage events for a build: START and COMPLETE share a runId, FAIL carries the first
// error, inputs and outputs are exactly what was read and written, facets follow the spec; the
// targets: a JSON Lines file, and an HTTP endpoint (a loopback server: 2xx, 500, no answer).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InternalError, InvalidArgumentError } from '../../src/common/errors.js';
import {
  completeEvent,
  configuredLineage,
  DEFAULT_PRODUCER,
  emitLineage,
  FACET_SCHEMA_URLS,
  lineageRunId,
  RUN_EVENT_SCHEMA_URL,
  startEvent,
} from '../../src/pipeline/openlineage.js';
import type { BuildRun, GraphNode, NodeResult, ProjectGraph } from '../../src/pipeline/types.js';

const NS = 'sluice://lake/dev';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const node = (
  n: Partial<GraphNode> & Pick<GraphNode, 'uniqueId' | 'kind' | 'name'>,
): GraphNode => ({ dependsOn: [], tags: [], columns: [], meta: {}, ...n });

// raw_orders (seed) → stg_orders (view) ┐
// raw_customers (seed) → customer_base (ephemeral) → orders (table) ← erp.payments (source)
const graph: ProjectGraph = {
  project: 'shop',
  nodes: new Map(
    [
      node({
        uniqueId: 'seed.shop.raw_orders',
        kind: 'seed',
        name: 'raw_orders',
        relation: 'raw_orders',
      }),
      node({
        uniqueId: 'seed.shop.raw_customers',
        kind: 'seed',
        name: 'raw_customers',
        relation: 'raw_customers',
      }),
      node({
        uniqueId: 'source.shop.erp.payments',
        kind: 'source',
        name: 'payments',
        relation: 'erp_payments',
        columns: [{ name: 'order_id', dataType: 'INTEGER', description: 'The order paid' }],
      }),
      node({
        uniqueId: 'model.shop.stg_orders',
        kind: 'model',
        name: 'stg_orders',
        materialized: 'view',
        relation: 'stg_orders',
        dependsOn: ['seed.shop.raw_orders'],
      }),
      node({
        uniqueId: 'model.shop.customer_base',
        kind: 'model',
        name: 'customer_base',
        materialized: 'ephemeral',
        dependsOn: ['seed.shop.raw_customers'],
      }),
      node({
        uniqueId: 'model.shop.orders',
        kind: 'model',
        name: 'orders',
        materialized: 'table',
        relation: 'orders',
        dependsOn: [
          'model.shop.stg_orders',
          'model.shop.customer_base',
          'source.shop.erp.payments',
        ],
        columns: [{ name: 'id', description: 'The order id' }],
      }),
      node({
        uniqueId: 'test.shop.not_null_orders_id',
        kind: 'test',
        name: 'not_null_orders_id',
        dependsOn: ['model.shop.orders'],
      }),
    ].map((n) => [n.uniqueId, n]),
  ),
};

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);
const res = (
  r: Partial<NodeResult> & Pick<NodeResult, 'uniqueId' | 'kind' | 'name' | 'status'>,
): NodeResult => ({ startedAt: at(0), completedAt: at(10), ...r });

/** A partial build (`--select stg_orders+`): the seeds and the source are not built. */
function successRun(): BuildRun {
  return {
    id: 'r-20260301-abc',
    project: 'shop',
    branch: 'dev',
    runBranch: 'run/r-20260301-abc',
    status: 'success',
    commit: 'c0ffee',
    startedAt: at(0),
    completedAt: at(5000),
    args: { command: 'build', select: ['stg_orders+'], exclude: [], fullRefresh: false },
    results: [
      res({
        uniqueId: 'model.shop.stg_orders',
        kind: 'model',
        name: 'stg_orders',
        status: 'reused',
        rows: 3,
        bytes: 1024,
        relation: 'stg_orders',
        columns: [{ name: 'id', type: 'INTEGER' }],
      }),
      res({
        uniqueId: 'model.shop.orders',
        kind: 'model',
        name: 'orders',
        status: 'success',
        rows: 42,
        bytes: 4096,
        relation: 'orders',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'amount', type: 'DECIMAL(18,3)' },
        ],
      }),
      res({ uniqueId: 'test.shop.not_null_orders_id', kind: 'test', name: 'nn', status: 'pass' }),
    ],
  };
}

function errorRun(): BuildRun {
  return {
    ...successRun(),
    status: 'error',
    commit: undefined,
    results: [
      res({
        uniqueId: 'model.shop.stg_orders',
        kind: 'model',
        name: 'stg_orders',
        status: 'error',
        message: 'Binder Error: column "x" not found',
      }),
      res({ uniqueId: 'model.shop.orders', kind: 'model', name: 'orders', status: 'skipped' }),
      res({
        uniqueId: 'test.shop.not_null_orders_id',
        kind: 'test',
        name: 'nn',
        status: 'error',
        message: 'a later error',
      }),
    ],
  };
}

describe('events', () => {
  it('START and COMPLETE share a runId derived from the run id', () => {
    const run = successRun();
    const start = startEvent(run, { namespace: NS });
    const done = completeEvent(run, graph, { namespace: NS });
    expect(start.run.runId).toMatch(UUID_V4);
    expect(done.run.runId).toBe(start.run.runId);
    expect(lineageRunId(run.id)).toBe(start.run.runId);
    expect(lineageRunId('another run')).not.toBe(start.run.runId);
    // a run id that is a UUID is used as it is
    expect(lineageRunId('0190A5B2-7C3D-7E4F-8A9B-0C1D2E3F4A5B')).toBe(
      '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
    );

    expect(start).toEqual({
      eventType: 'START',
      eventTime: '2026-03-01T10:00:00.000Z',
      producer: DEFAULT_PRODUCER,
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent',
      run: { runId: start.run.runId, facets: {} },
      job: {
        namespace: NS,
        name: 'shop.build',
        facets: {
          jobType: {
            _producer: DEFAULT_PRODUCER,
            _schemaURL: FACET_SCHEMA_URLS.jobType,
            processingType: 'BATCH',
            integration: 'SLUICE',
            jobType: 'JOB',
          },
        },
      },
      inputs: [],
      outputs: [],
    });
    expect(RUN_EVENT_SCHEMA_URL).toBe(start.schemaURL);
    expect(done).toMatchObject({
      eventType: 'COMPLETE',
      eventTime: '2026-03-01T10:00:05.000Z',
      schemaURL: RUN_EVENT_SCHEMA_URL,
      job: { namespace: NS, name: 'shop.build' },
      run: { facets: {} },
    });
  });

  it('inputs are what the built models read and the run did not write; outputs what it wrote', () => {
    const checks = new Map([
      [
        'model.shop.orders',
        [
          { name: 'not_null', column: 'id', success: true },
          { name: 'row_count', success: false },
        ],
      ],
      ['source.shop.erp.payments', [{ name: 'fresh', success: true }]],
    ]);
    const ev = completeEvent(successRun(), graph, {
      namespace: NS,
      producer: 'https://example.test/sluice',
      checks,
    });
    const P = 'https://example.test/sluice';
    expect(ev.producer).toBe(P);
    // raw_customers is read through the ephemeral customer_base, which is no dataset itself
    expect(ev.inputs.map((d) => d.name)).toEqual(['erp_payments', 'raw_customers', 'raw_orders']);
    expect(ev.outputs.map((d) => d.name)).toEqual(['stg_orders', 'orders']);
    for (const d of [...ev.inputs, ...ev.outputs]) expect(d.namespace).toBe(NS);

    expect(ev.outputs[1]).toEqual({
      namespace: NS,
      name: 'orders',
      facets: {
        schema: {
          _producer: P,
          _schemaURL: FACET_SCHEMA_URLS.schema,
          fields: [
            { name: 'id', type: 'INTEGER', description: 'The order id' },
            { name: 'amount', type: 'DECIMAL(18,3)' },
          ],
        },
        dataQualityAssertions: {
          _producer: P,
          _schemaURL: FACET_SCHEMA_URLS.dataQualityAssertions,
          assertions: [
            { assertion: 'not_null', success: true, column: 'id' },
            { assertion: 'row_count', success: false },
          ],
        },
      },
      outputFacets: {
        outputStatistics: {
          _producer: P,
          _schemaURL: FACET_SCHEMA_URLS.outputStatistics,
          rowCount: 42,
          size: 4096,
        },
      },
    });
    // the reused table is an output too, with its statistics; no checks, no assertions facet
    expect(ev.outputs[0]!.outputFacets.outputStatistics).toMatchObject({
      rowCount: 3,
      size: 1024,
    });
    expect(ev.outputs[0]!.facets.dataQualityAssertions).toBeUndefined();

    expect(ev.inputs[0]).toEqual({
      namespace: NS,
      name: 'erp_payments',
      facets: {
        schema: {
          _producer: P,
          _schemaURL: FACET_SCHEMA_URLS.schema,
          fields: [{ name: 'order_id', type: 'INTEGER', description: 'The order paid' }],
        },
      },
      inputFacets: {
        dataQualityAssertions: {
          _producer: P,
          _schemaURL: FACET_SCHEMA_URLS.dataQualityAssertions,
          assertions: [{ assertion: 'fresh', success: true }],
        },
      },
    });
    expect(ev.inputs[1]).toEqual({
      namespace: NS,
      name: 'raw_customers',
      facets: {},
      inputFacets: {},
    });
    // every facet names its producer and schema
    const facets = [
      ...Object.values(ev.job.facets),
      ...ev.inputs.flatMap((d) => [...Object.values(d.facets), ...Object.values(d.inputFacets)]),
      ...ev.outputs.flatMap((d) => [...Object.values(d.facets), ...Object.values(d.outputFacets)]),
    ];
    for (const f of facets) {
      expect(f._producer).toBe(P);
      expect(f._schemaURL).toMatch(/^https:\/\/openlineage\.io\/spec\/facets\/.+#\/\$defs\/\w+$/);
    }
  });

  it('a run that built everything reads only its source', () => {
    const run = successRun();
    run.results.unshift(
      res({
        uniqueId: 'seed.shop.raw_orders',
        kind: 'seed',
        name: 'raw_orders',
        status: 'success',
        rows: 3,
      }),
      res({
        uniqueId: 'seed.shop.raw_customers',
        kind: 'seed',
        name: 'raw_customers',
        status: 'reused',
        rows: 2,
      }),
    );
    const ev = completeEvent(run, graph, { namespace: NS });
    expect(ev.inputs.map((d) => d.name)).toEqual(['erp_payments']);
    expect(ev.outputs.map((d) => d.name)).toEqual([
      'raw_orders',
      'raw_customers',
      'stg_orders',
      'orders',
    ]);
    // no bytes known: rowCount alone
    expect(ev.outputs[0]!.outputFacets.outputStatistics).toEqual({
      _producer: DEFAULT_PRODUCER,
      _schemaURL: FACET_SCHEMA_URLS.outputStatistics,
      rowCount: 3,
    });
    expect(ev.outputs[0]!.facets).toEqual({});
  });

  it('FAIL for a run in error, with the first error message', () => {
    const run = errorRun();
    const ev = completeEvent(run, graph, { namespace: NS });
    expect(ev.eventType).toBe('FAIL');
    expect(ev.run.runId).toBe(startEvent(run, { namespace: NS }).run.runId);
    expect(ev.run.facets).toEqual({
      errorMessage: {
        _producer: DEFAULT_PRODUCER,
        _schemaURL: FACET_SCHEMA_URLS.errorMessage,
        message: 'model.shop.stg_orders: Binder Error: column "x" not found',
        programmingLanguage: 'SQL',
      },
    });
    // nothing was written; the model that failed still read its input, the skipped one did not
    expect(ev.outputs).toEqual([]);
    expect(ev.inputs.map((d) => d.name)).toEqual(['raw_orders']);
  });

  it('FAIL names a failing test when nothing errored', () => {
    const run = successRun();
    run.status = 'error';
    run.results[2] = res({
      uniqueId: 'test.shop.not_null_orders_id',
      kind: 'test',
      name: 'nn',
      status: 'fail',
      failures: 1,
    });
    const ev = completeEvent(run, graph, { namespace: NS });
    expect(ev.eventType).toBe('FAIL');
    expect(ev.run.facets.errorMessage!.message).toBe('test.shop.not_null_orders_id: test failed');
    expect(ev.outputs.map((d) => d.name)).toEqual(['stg_orders', 'orders']);
  });

  it('refuses an empty namespace', () => {
    expect(() => startEvent(successRun(), { namespace: ' ' })).toThrow(InvalidArgumentError);
  });
});

describe('emitLineage', () => {
  let dir: string;
  const events = [
    startEvent(successRun(), { namespace: NS }),
    completeEvent(successRun(), graph, { namespace: NS }),
  ];

  interface Received {
    method: string | undefined;
    url: string | undefined;
    contentType: string | undefined;
    auth: string | undefined;
    body: unknown;
  }
  const received: Received[] = [];
  const servers: Server[] = [];

  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/v1/lineage`;
  }

  function record(req: IncomingMessage, then: (res: ServerResponse) => void, res: ServerResponse) {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({
        method: req.method,
        url: req.url,
        contentType: req.headers['content-type'],
        auth: req.headers.authorization,
        body: JSON.parse(text),
      });
      then(res);
    });
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-lineage-'));
  });
  afterAll(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends JSON Lines to a file, creating its directory', async () => {
    const file = join(dir, 'nested', 'deeper', 'lineage.jsonl');
    await emitLineage(events, { file });
    await emitLineage([events[1]!], { file });
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const docs = lines.map((l) => JSON.parse(l));
    expect(docs.map((d) => d.eventType)).toEqual(['START', 'COMPLETE', 'COMPLETE']);
    expect(docs[0]).toEqual(events[0]);
  });

  it('POSTs each event as JSON to a 2xx endpoint, in order', async () => {
    received.length = 0;
    const url = await serve((req, res) =>
      record(req, (r) => r.writeHead(201, { 'content-type': 'text/plain' }).end('ok'), res),
    );
    await emitLineage(events, { url, headers: { Authorization: 'Bearer t0ken' } });
    expect(received).toHaveLength(2);
    expect(received.map((r) => [r.method, r.url, r.contentType, r.auth])).toEqual([
      ['POST', '/api/v1/lineage', 'application/json', 'Bearer t0ken'],
      ['POST', '/api/v1/lineage', 'application/json', 'Bearer t0ken'],
    ]);
    expect(received.map((r) => r.body)).toEqual(JSON.parse(JSON.stringify(events)));
  });

  it('a 500 throws naming the URL and the status', async () => {
    received.length = 0;
    const url = await serve((req, res) => record(req, (r) => r.writeHead(500).end('boom'), res));
    let caught: unknown;
    try {
      await emitLineage(events, { url });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InternalError);
    const err = caught as InternalError;
    expect(err.message).toContain(url);
    expect(err.message).toContain('500');
    expect(err.data).toMatchObject({ url, status: 500 });
    expect(received).toHaveLength(1); // stops at the first refusal
  });

  it('a server that never answers times out', async () => {
    const url = await serve(() => {
      // accept the request, never answer
    });
    const started = Date.now();
    let caught: unknown;
    try {
      await emitLineage(events, { url, timeoutMs: 200 });
    } catch (err) {
      caught = err;
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(caught).toBeInstanceOf(InternalError);
    const err = caught as InternalError;
    expect(err.message).toContain(url);
    expect(err.message).toContain('no answer within 200 ms');
    expect(err.data).toMatchObject({ url, status: null });
  });

  it('with both targets, the file is written even when the URL fails', async () => {
    const file = join(dir, 'both.jsonl');
    const url = await serve((req, res) => record(req, (r) => r.writeHead(503).end(), res));
    await expect(emitLineage(events, { file, url })).rejects.toThrow(/503/);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2);
  });

  it('refuses a target without a destination or with a bad URL or timeout', async () => {
    await expect(emitLineage(events, {})).rejects.toThrow(InvalidArgumentError);
    await expect(emitLineage(events, { url: 'not a url' })).rejects.toThrow(InvalidArgumentError);
    await expect(emitLineage(events, { url: 'file:///etc/passwd' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(emitLineage(events, { file: join(dir, 'x.jsonl'), timeoutMs: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

describe('configuredLineage: sluice.yml, then the OpenLineage environment variables', () => {
  /** `${NAME}`, the placeholder syntax of sluice.yml. */
  const ref = (name: string): string => `\${${name}}`;
  const project = (openlineage?: object) => ({
    dir: '/p',
    config: { file: 'sluice.yml', ...(openlineage ? { openlineage } : {}) },
  });

  it('reads sluice.yml (file relative to the project, env placeholders in headers)', () => {
    expect(
      configuredLineage(
        project({
          url: 'http://127.0.0.1:5000/api/v1/lineage',
          file: 'target/ol.jsonl',
          namespace: 'shop',
          headers: { Authorization: `Bearer ${ref('OL_TOKEN')}` },
        }),
        { OL_TOKEN: 's3cret', OPENLINEAGE_URL: 'http://ignored' },
      ),
    ).toEqual({
      url: 'http://127.0.0.1:5000/api/v1/lineage',
      file: '/p/target/ol.jsonl',
      namespace: 'shop',
      headers: { Authorization: 'Bearer s3cret' },
    });
  });

  it('a missing variable is an error naming it, not a silent empty header', () => {
    expect(() =>
      configuredLineage(project({ url: 'http://x/', headers: { 'X-Key': ref('NOPE') } }), {}),
    ).toThrow(/openlineage\.headers\.X-Key needs the environment variable NOPE/);
  });

  it('falls back to OPENLINEAGE_URL / _ENDPOINT / _API_KEY / _NAMESPACE, else nothing', () => {
    expect(
      configuredLineage(project(), {
        OPENLINEAGE_URL: 'http://127.0.0.1:5000/',
        OPENLINEAGE_API_KEY: 'k',
        OPENLINEAGE_NAMESPACE: 'team',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:5000/api/v1/lineage',
      headers: { Authorization: 'Bearer k' },
      namespace: 'team',
    });
    expect(
      configuredLineage(project(), {
        OPENLINEAGE_URL: 'http://h',
        OPENLINEAGE_ENDPOINT: '/events',
      })?.url,
    ).toBe('http://h/events');
    expect(configuredLineage(project(), {})).toBeUndefined();
  });
});
