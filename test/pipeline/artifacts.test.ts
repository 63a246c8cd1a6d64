// run_results.json and manifest.json: dbt's shapes, the status mapping (reused is a success that
// says so), the parent/child maps, ISO timestamps, and the atomic write under target/.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/common/errors.js';
import {
  dbtStatus,
  MANIFEST_SCHEMA,
  manifestJson,
  RUN_RESULTS_SCHEMA,
  runResultsJson,
  writeArtifacts,
} from '../../src/pipeline/artifacts.js';
import type { BuildRun, GraphNode, NodeResult, ProjectGraph } from '../../src/pipeline/types.js';

const node = (
  n: Partial<GraphNode> & Pick<GraphNode, 'uniqueId' | 'kind' | 'name'>,
): GraphNode => ({
  dependsOn: [],
  tags: [],
  columns: [],
  meta: {},
  ...n,
});

function buildGraph(): ProjectGraph {
  const nodes: GraphNode[] = [
    node({
      uniqueId: 'seed.shop.raw_orders',
      kind: 'seed',
      name: 'raw_orders',
      path: 'seeds/raw_orders.csv',
      materialized: 'table',
      relation: 'raw_orders',
    }),
    node({
      uniqueId: 'seed.shop.raw_customers',
      kind: 'seed',
      name: 'raw_customers',
      path: 'seeds/raw_customers.csv',
      materialized: 'table',
      relation: 'raw_customers',
    }),
    node({
      uniqueId: 'source.shop.erp.payments',
      kind: 'source',
      name: 'payments',
      path: 'models/sources.yml',
      relation: 'erp_payments',
      description: 'Payments from the ERP',
      columns: [{ name: 'order_id', dataType: 'INTEGER' }],
    }),
    node({
      uniqueId: 'model.shop.stg_orders',
      kind: 'model',
      name: 'stg_orders',
      path: 'models/staging/stg_orders.sql',
      materialized: 'view',
      relation: 'stg_orders',
      tags: ['staging'],
      description: 'Orders, cleaned',
      dependsOn: ['seed.shop.raw_orders'],
      columns: [
        { name: 'id', description: 'The order id', dataType: 'INTEGER' },
        { name: 'status' },
      ],
      rawCode: "select * from {{ ref('raw_orders') }}",
      compiledCode: 'select * from raw_orders',
    }),
    node({
      uniqueId: 'model.shop.customer_base',
      kind: 'model',
      name: 'customer_base',
      path: 'models/staging/customer_base.sql',
      materialized: 'ephemeral',
      dependsOn: ['seed.shop.raw_customers'],
      rawCode: "select id from {{ ref('raw_customers') }}",
      compiledCode: 'select id from raw_customers',
    }),
    node({
      uniqueId: 'model.shop.orders',
      kind: 'model',
      name: 'orders',
      path: 'models/marts/orders.sql',
      materialized: 'table',
      relation: 'orders',
      // listed unsorted and with a duplicate: depends_on keeps the order, the maps sort
      dependsOn: [
        'source.shop.erp.payments',
        'model.shop.stg_orders',
        'model.shop.customer_base',
        'model.shop.stg_orders',
      ],
      rawCode: 'select …',
      compiledCode: 'select … compiled',
    }),
    node({
      uniqueId: 'test.shop.not_null_orders_id',
      kind: 'test',
      name: 'not_null_orders_id',
      path: 'models/marts/schema.yml',
      dependsOn: ['model.shop.orders'],
      meta: { column_name: 'id' },
      rawCode: '{{ test_not_null(...) }}',
    }),
    node({
      uniqueId: 'test.shop.unique_orders_id',
      kind: 'test',
      name: 'unique_orders_id',
      path: 'models/marts/schema.yml',
      dependsOn: ['model.shop.orders'],
    }),
    node({
      uniqueId: 'test.shop.accepted_values_stg_orders_status',
      kind: 'test',
      name: 'accepted_values_stg_orders_status',
      path: 'models/staging/schema.yml',
      dependsOn: ['model.shop.stg_orders'],
      meta: { severity: 'warn', column_name: 'status' },
    }),
    node({
      uniqueId: 'exposure.shop.weekly_report',
      kind: 'exposure',
      name: 'weekly_report',
      path: 'models/exposures.yml',
      dependsOn: ['model.shop.orders'],
      description: 'The Monday report',
      meta: {
        type: 'dashboard',
        owner: { name: 'Ana', email: 'ana@example.com' },
        url: 'https://bi.example.com/weekly',
        team: 'growth',
      },
    }),
  ];
  return { project: 'shop', nodes: new Map(nodes.map((n) => [n.uniqueId, n])) };
}

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);

function result(
  r: Partial<NodeResult> & Pick<NodeResult, 'uniqueId' | 'kind' | 'name' | 'status'>,
  from: number,
  to: number,
): NodeResult {
  return { startedAt: at(from), completedAt: at(to), ...r };
}

function buildRun(): BuildRun {
  return {
    id: 'r-20260301-abc',
    project: 'shop',
    branch: 'dev',
    runBranch: 'run/r-20260301-abc',
    status: 'error',
    commit: 'c0ffee',
    startedAt: at(0),
    completedAt: at(4250),
    args: { command: 'build', select: ['+orders'], exclude: ['tag:slow'], fullRefresh: false },
    results: [
      result(
        {
          uniqueId: 'seed.shop.raw_orders',
          kind: 'seed',
          name: 'raw_orders',
          status: 'success',
          rows: 3,
          bytes: 512,
          relation: 'raw_orders',
        },
        0,
        250,
      ),
      result(
        {
          uniqueId: 'seed.shop.raw_customers',
          kind: 'seed',
          name: 'raw_customers',
          status: 'reused',
          rows: 2,
          bytes: 300,
          relation: 'raw_customers',
          fingerprint: 'abcdef0123456789abcdef',
        },
        250,
        260,
      ),
      result(
        {
          uniqueId: 'model.shop.stg_orders',
          kind: 'model',
          name: 'stg_orders',
          status: 'success',
          rows: 3,
          relation: 'stg_orders',
          columns: [
            { name: 'id', type: 'INTEGER' },
            { name: 'status', type: 'VARCHAR' },
          ],
        },
        260,
        1260,
      ),
      result(
        {
          uniqueId: 'test.shop.accepted_values_stg_orders_status',
          kind: 'test',
          name: 'accepted_values_stg_orders_status',
          status: 'fail',
          failures: 2,
          rows: 2,
        },
        1260,
        1500,
      ),
      result(
        {
          uniqueId: 'model.shop.orders',
          kind: 'model',
          name: 'orders',
          status: 'skipped',
          message: 'skipped: upstream test.shop.accepted_values_stg_orders_status failed',
        },
        1500,
        1500,
      ),
      result(
        {
          uniqueId: 'test.shop.not_null_orders_id',
          kind: 'test',
          name: 'not_null_orders_id',
          status: 'skipped',
        },
        1500,
        1500,
      ),
    ],
  };
}

describe('runResultsJson', () => {
  const graph = buildGraph();
  const run = buildRun();
  const doc = runResultsJson(run, graph);

  it('has dbt metadata, elapsed time, args and the sluice object', () => {
    expect(doc.metadata).toEqual({
      dbt_schema_version: RUN_RESULTS_SCHEMA,
      dbt_version: 'sluice',
      generated_at: '2026-03-01T10:00:04.250Z',
      invocation_id: 'r-20260301-abc',
      env: {},
    });
    expect(RUN_RESULTS_SCHEMA).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(doc.elapsed_time).toBe(4.25);
    expect(doc.args).toEqual({
      which: 'build',
      select: ['+orders'],
      exclude: ['tag:slow'],
      full_refresh: false,
    });
    expect(doc.sluice).toEqual({
      run_id: 'r-20260301-abc',
      branch: 'dev',
      run_branch: 'run/r-20260301-abc',
      commit: 'c0ffee',
      status: 'error',
    });
    expect(doc.results.map((r) => r.unique_id)).toEqual(run.results.map((r) => r.uniqueId));
  });

  it('a built seed: success, rows and bytes, relation, timing', () => {
    expect(doc.results[0]).toEqual({
      unique_id: 'seed.shop.raw_orders',
      status: 'success',
      timing: [
        {
          name: 'execute',
          started_at: '2026-03-01T10:00:00.000Z',
          completed_at: '2026-03-01T10:00:00.250Z',
        },
      ],
      thread_id: 'Thread-1',
      execution_time: 0.25,
      adapter_response: { rows_affected: 3, bytes: 512 },
      message: 'OK',
      failures: null,
      compiled: false,
      compiled_code: null,
      relation_name: 'raw_orders',
    });
  });

  it('a reused node is a success that says so', () => {
    const r = doc.results[1]!;
    expect(r.status).toBe('success');
    expect(r.adapter_response).toEqual({ rows_affected: 2, bytes: 300, reused: true });
    expect(r.message).toBe('reused raw_customers (fingerprint abcdef012345), nothing computed');
    expect(r.execution_time).toBe(0.01);
  });

  it('a model carries its compiled code; a failed test its failures', () => {
    const model = doc.results[2]!;
    expect(model).toMatchObject({
      status: 'success',
      compiled: true,
      compiled_code: 'select * from raw_orders',
      relation_name: 'stg_orders',
      adapter_response: { rows_affected: 3 },
      execution_time: 1,
    });
    expect(doc.results[3]).toMatchObject({
      unique_id: 'test.shop.accepted_values_stg_orders_status',
      status: 'fail',
      failures: 2,
      message: 'Got 2 results, configured to fail if != 0',
      relation_name: null,
    });
  });

  it('skipped nodes stay skipped, with their message or null', () => {
    expect(doc.results[4]).toMatchObject({
      status: 'skipped',
      message: 'skipped: upstream test.shop.accepted_values_stg_orders_status failed',
      execution_time: 0,
      failures: null,
      relation_name: 'orders',
      adapter_response: {},
    });
    expect(doc.results[5]).toMatchObject({ status: 'skipped', message: null, failures: null });
  });

  it('maps every status', () => {
    expect(dbtStatus('success')).toBe('success');
    expect(dbtStatus('reused')).toBe('success');
    for (const s of ['pass', 'warn', 'fail', 'error', 'skipped'] as const) {
      expect(dbtStatus(s)).toBe(s);
    }
    const passed = runResultsJson(
      {
        ...run,
        status: 'success',
        commit: undefined,
        results: [
          result(
            { uniqueId: 'test.shop.unique_orders_id', kind: 'test', name: 'u', status: 'pass' },
            0,
            5,
          ),
          result(
            {
              uniqueId: 'model.shop.customer_base',
              kind: 'model',
              name: 'customer_base',
              status: 'error',
              message: 'Binder Error',
            },
            0,
            5,
          ),
        ],
      },
      graph,
    );
    expect(passed.sluice.commit).toBeNull();
    expect(passed.results[0]).toMatchObject({ status: 'pass', failures: 0, message: null });
    // an ephemeral model is never a relation
    expect(passed.results[1]).toMatchObject({
      status: 'error',
      message: 'Binder Error',
      relation_name: null,
    });
  });

  it('refuses an invalid date', () => {
    expect(() => runResultsJson({ ...run, completedAt: new Date(Number.NaN) }, graph)).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('manifestJson', () => {
  const graph = buildGraph();
  const doc = manifestJson(graph, {
    generatedAt: new Date('2026-03-01T10:00:04.250Z'),
    invocationId: 'inv-1',
  });

  it('has dbt metadata and its sections', () => {
    expect(doc.metadata).toEqual({
      dbt_schema_version: MANIFEST_SCHEMA,
      dbt_version: 'sluice',
      generated_at: '2026-03-01T10:00:04.250Z',
      invocation_id: 'inv-1',
      env: {},
      project_name: 'shop',
    });
    expect(MANIFEST_SCHEMA).toBe('https://schemas.getdbt.com/dbt/manifest/v11.json');
    expect(Object.keys(doc.nodes)).toEqual([
      'seed.shop.raw_orders',
      'seed.shop.raw_customers',
      'model.shop.stg_orders',
      'model.shop.customer_base',
      'model.shop.orders',
      'test.shop.not_null_orders_id',
      'test.shop.unique_orders_id',
      'test.shop.accepted_values_stg_orders_status',
    ]);
    expect(Object.keys(doc.sources)).toEqual(['source.shop.erp.payments']);
    expect(Object.keys(doc.exposures)).toEqual(['exposure.shop.weekly_report']);
    expect(doc.macros).toEqual({});
  });

  it('a view model, field by field', () => {
    expect(doc.nodes['model.shop.stg_orders']).toEqual({
      name: 'stg_orders',
      resource_type: 'model',
      package_name: 'shop',
      path: 'staging/stg_orders.sql',
      original_file_path: 'models/staging/stg_orders.sql',
      unique_id: 'model.shop.stg_orders',
      fqn: ['shop', 'staging', 'stg_orders'],
      alias: 'stg_orders',
      language: 'sql',
      tags: ['staging'],
      description: 'Orders, cleaned',
      meta: {},
      columns: {
        id: {
          name: 'id',
          description: 'The order id',
          data_type: 'INTEGER',
          meta: {},
          tags: [],
        },
        status: { name: 'status', description: '', data_type: null, meta: {}, tags: [] },
      },
      config: { enabled: true, materialized: 'view', tags: ['staging'] },
      depends_on: { macros: [], nodes: ['seed.shop.raw_orders'] },
      raw_code: "select * from {{ ref('raw_orders') }}",
      compiled: true,
      compiled_code: 'select * from raw_orders',
      relation_name: 'stg_orders',
    });
  });

  it('ephemeral models have no relation; depends_on is deduplicated in order', () => {
    expect(doc.nodes['model.shop.customer_base']).toMatchObject({
      config: { materialized: 'ephemeral' },
      relation_name: null,
    });
    expect(doc.nodes['model.shop.orders']!.depends_on.nodes).toEqual([
      'source.shop.erp.payments',
      'model.shop.stg_orders',
      'model.shop.customer_base',
    ]);
    expect(doc.nodes['model.shop.orders']!.fqn).toEqual(['shop', 'marts', 'orders']);
  });

  it('seeds and tests', () => {
    expect(doc.nodes['seed.shop.raw_orders']).toMatchObject({
      resource_type: 'seed',
      path: 'raw_orders.csv',
      original_file_path: 'seeds/raw_orders.csv',
      fqn: ['shop', 'raw_orders'],
      config: { enabled: true, materialized: 'seed', tags: [] },
      raw_code: '',
      compiled: false,
      compiled_code: null,
      relation_name: 'raw_orders',
    });
    expect(doc.nodes['test.shop.not_null_orders_id']).toMatchObject({
      resource_type: 'test',
      path: 'marts/schema.yml',
      fqn: ['shop', 'marts', 'not_null_orders_id'],
      config: { materialized: 'test' },
      column_name: 'id',
      attached_node: 'model.shop.orders',
      relation_name: null,
      depends_on: { nodes: ['model.shop.orders'] },
    });
    expect(doc.nodes['test.shop.unique_orders_id']!.column_name).toBeNull();
    expect(doc.nodes['test.shop.accepted_values_stg_orders_status']!.config).toEqual({
      enabled: true,
      materialized: 'test',
      tags: [],
      severity: 'WARN',
    });
  });

  it('sources and exposures', () => {
    expect(doc.sources['source.shop.erp.payments']).toEqual({
      name: 'payments',
      resource_type: 'source',
      package_name: 'shop',
      path: 'sources.yml',
      original_file_path: 'models/sources.yml',
      unique_id: 'source.shop.erp.payments',
      fqn: ['shop', 'erp', 'payments'],
      tags: [],
      description: 'Payments from the ERP',
      meta: {},
      source_name: 'erp',
      source_description: '',
      loader: '',
      identifier: 'erp_payments',
      relation_name: 'erp_payments',
      columns: {
        order_id: { name: 'order_id', description: '', data_type: 'INTEGER', meta: {}, tags: [] },
      },
      config: { enabled: true },
    });
    expect(doc.exposures['exposure.shop.weekly_report']).toEqual({
      name: 'weekly_report',
      resource_type: 'exposure',
      package_name: 'shop',
      path: 'exposures.yml',
      original_file_path: 'models/exposures.yml',
      unique_id: 'exposure.shop.weekly_report',
      fqn: ['shop', 'weekly_report'],
      tags: [],
      description: 'The Monday report',
      meta: { team: 'growth' },
      type: 'dashboard',
      owner: { name: 'Ana', email: 'ana@example.com' },
      url: 'https://bi.example.com/weekly',
      config: { enabled: true },
      depends_on: { macros: [], nodes: ['model.shop.orders'] },
    });
  });

  it('parent and child maps hold every id, sorted', () => {
    const all = [...graph.nodes.keys()].sort();
    expect(Object.keys(doc.parent_map).sort()).toEqual(all);
    expect(Object.keys(doc.child_map).sort()).toEqual(all);
    expect(doc.parent_map).toEqual({
      'seed.shop.raw_orders': [],
      'seed.shop.raw_customers': [],
      'source.shop.erp.payments': [],
      'model.shop.stg_orders': ['seed.shop.raw_orders'],
      'model.shop.customer_base': ['seed.shop.raw_customers'],
      'model.shop.orders': [
        'model.shop.customer_base',
        'model.shop.stg_orders',
        'source.shop.erp.payments',
      ],
      'test.shop.not_null_orders_id': ['model.shop.orders'],
      'test.shop.unique_orders_id': ['model.shop.orders'],
      'test.shop.accepted_values_stg_orders_status': ['model.shop.stg_orders'],
      'exposure.shop.weekly_report': ['model.shop.orders'],
    });
    expect(doc.child_map).toEqual({
      'seed.shop.raw_orders': ['model.shop.stg_orders'],
      'seed.shop.raw_customers': ['model.shop.customer_base'],
      'source.shop.erp.payments': ['model.shop.orders'],
      'model.shop.stg_orders': ['model.shop.orders', 'test.shop.accepted_values_stg_orders_status'],
      'model.shop.customer_base': ['model.shop.orders'],
      'model.shop.orders': [
        'exposure.shop.weekly_report',
        'test.shop.not_null_orders_id',
        'test.shop.unique_orders_id',
      ],
      'test.shop.not_null_orders_id': [],
      'test.shop.unique_orders_id': [],
      'test.shop.accepted_values_stg_orders_status': [],
      'exposure.shop.weekly_report': [],
    });
  });

  it('paths given absolute are made relative to projectDir', () => {
    const root = join(tmpdir(), 'proj');
    const g: ProjectGraph = {
      project: 'p',
      nodes: new Map([
        [
          'model.p.m',
          node({
            uniqueId: 'model.p.m',
            kind: 'model',
            name: 'm',
            path: join(root, 'models', 'a', 'm.sql'),
          }),
        ],
      ]),
    };
    const m = manifestJson(g, { generatedAt: new Date(T0), invocationId: 'i', projectDir: root });
    expect(m.nodes['model.p.m']).toMatchObject({
      original_file_path: 'models/a/m.sql',
      path: 'a/m.sql',
      fqn: ['p', 'a', 'm'],
      config: { materialized: 'table' },
    });
  });

  it('refuses a graph with a dangling edge', () => {
    const g = buildGraph();
    g.nodes.set(
      'model.shop.bad',
      node({ uniqueId: 'model.shop.bad', kind: 'model', name: 'bad', dependsOn: ['model.shop.x'] }),
    );
    let caught: unknown;
    try {
      manifestJson(g, { generatedAt: new Date(T0), invocationId: 'i' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).code).toBe('InvalidArgumentError');
    expect((caught as Error).message).toContain('model.shop.x');
  });
});

describe('writeArtifacts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-artifacts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes both files under target/, valid JSON, no temp files left', async () => {
    const project = join(dir, 'project'); // does not exist yet
    const paths = await writeArtifacts(project, buildRun(), buildGraph());
    expect(paths).toEqual({
      runResults: join(project, 'target', 'run_results.json'),
      manifest: join(project, 'target', 'manifest.json'),
    });
    expect(readdirSync(join(project, 'target')).sort()).toEqual([
      'manifest.json',
      'run_results.json',
    ]);
    const rr = JSON.parse(readFileSync(paths.runResults, 'utf8'));
    expect(rr).toEqual(runResultsJson(buildRun(), buildGraph()));
    const manifest = JSON.parse(readFileSync(paths.manifest, 'utf8'));
    expect(manifest.metadata).toMatchObject({
      invocation_id: 'r-20260301-abc',
      generated_at: '2026-03-01T10:00:04.250Z',
    });
    expect(Object.keys(manifest.parent_map)).toHaveLength(10);

    // a second run replaces both in place
    const again = buildRun();
    again.id = 'r-2';
    await writeArtifacts(project, again, buildGraph());
    expect(readdirSync(join(project, 'target')).sort()).toEqual([
      'manifest.json',
      'run_results.json',
    ]);
    expect(JSON.parse(readFileSync(paths.runResults, 'utf8')).sluice.run_id).toBe('r-2');
  });

  it('a failed rename leaves no temp file and no half document', async () => {
    const project = join(dir, 'blocked');
    // a directory where run_results.json should go: the rename into place fails
    mkdirSync(join(project, 'target', 'run_results.json'), { recursive: true });
    await expect(writeArtifacts(project, buildRun(), buildGraph())).rejects.toThrow();
    expect(readdirSync(join(project, 'target')).sort()).toEqual([
      'manifest.json',
      'run_results.json',
    ]);
    expect(readdirSync(join(project, 'target', 'run_results.json'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(project, 'target', 'manifest.json'), 'utf8'))).toEqual(
      JSON.parse(
        JSON.stringify(
          manifestJson(buildGraph(), {
            generatedAt: buildRun().completedAt,
            invocationId: buildRun().id,
          }),
        ),
      ),
    );
  });

  it('writes nothing when the graph is refused', async () => {
    const project = join(dir, 'bad');
    const g = buildGraph();
    g.nodes.set(
      'model.shop.bad',
      node({ uniqueId: 'model.shop.bad', kind: 'model', name: 'bad', dependsOn: ['nope'] }),
    );
    await expect(writeArtifacts(project, buildRun(), g)).rejects.toThrow(InvalidArgumentError);
    expect(() => readdirSync(project)).toThrow();
  });
});
