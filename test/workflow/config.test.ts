// The workflow sections of sluice.yml and ingestors/*.yml: a valid configuration parses to typed
// objects with their defaults; every kind of bad input is an InvalidConfigError naming the file,
// the line and the field; ${ENV} references resolve at run time and a missing one names itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidConfigError, MissingEnvVarError } from '../../src/common/errors.js';
import {
  findIngestor,
  loadWorkflowConfig,
  PRODUCTION_DEFAULTS,
  resolveHeaders,
  STAGING_DEFAULTS,
} from '../../src/workflow/config/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A repository directory holding `files` (relative path → text). */
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-wfconfig-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.sluice'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function configError(dir: string): InvalidConfigError {
  try {
    loadWorkflowConfig(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidConfigError);
    return err as InvalidConfigError;
  }
  throw new Error('expected an InvalidConfigError');
}

const VALID = `name: shop
gates:
  - branch: main
ingestors:
  - name: orders
    kind: rest
    url: http://127.0.0.1:8080/orders?status=all
    headers:
      Authorization: "Bearer \${ORDERS_TOKEN}"
      X-Team: analytics
    records: $.data.items
    pagination: {type: cursor, param: after, next: $.meta.next}
    table: orders
    mode: upsert
    key: [id]
    schedule: "*/5 * * * *"
    timeout: 10s
    retries: 5
    backoff: 250ms
  - name: customers-csv
    kind: files
    path: exports/customers/*.csv
    format: csv
    csv: {delimiter: ";", header: true, null_values: [NA, ""], decimal_separator: ","}
    table: customers
    mode: overwrite
    checks: checks/customers-strict.yml
    into: dev
environments:
  staging:
    sample: {fraction: 0.25, seed: 7, tables: [orders]}
    mask:
      customers.email: hash
      customers.phone: redact
  production:
    smoke: {select: "tag:smoke"}
alerts:
  - name: team-slack
    kind: slack
    url: https://hooks.example.com/T000/B000
  - name: audit
    kind: webhook
    url: http://127.0.0.1:9999/hook
    headers: {X-Key: "\${AUDIT_KEY}"}
    on: [load.failed, "deploy.*"]
    timeout: 2s
    retries: 1
schedule:
  builds:
    - {cron: "0 * * * *", branch: staging, select: "tag:hourly"}
`;

describe('loadWorkflowConfig', () => {
  it('parses a valid configuration into typed objects with defaults', () => {
    const dir = repoWith({
      'sluice.yml': VALID,
      'checks/customers-strict.yml': 'tables: []\n',
      'ingestors/events.yml': `name: events
kind: rest
url: https://api.example.com/events
pagination: page
table: events
`,
      'ingestors/more.yaml': `- name: pages
  kind: rest
  url: https://api.example.com/p
  records: $.results[0].rows
  pagination: {type: page, param: p, start: 0, size_param: per_page, size: 50}
  max_pages: 10
  table: pages
- name: linked
  kind: rest
  url: https://api.example.com/l
  pagination: {type: link, next: $.links.next}
  table: linked
  checks: false
`,
    });
    const c = loadWorkflowConfig(dir);
    expect(c.files).toEqual(['sluice.yml', 'ingestors/events.yml', 'ingestors/more.yaml']);
    expect(c.ingestors.map((i) => i.name)).toEqual([
      'orders',
      'customers-csv',
      'events',
      'pages',
      'linked',
    ]);
    const orders = findIngestor(c, 'orders');
    expect(orders).toMatchObject({
      kind: 'rest',
      url: 'http://127.0.0.1:8080/orders?status=all',
      method: 'GET',
      headers: { Authorization: `Bearer \${ORDERS_TOKEN}`, 'X-Team': 'analytics' },
      records: { text: '$.data.items', segments: ['data', 'items'] },
      pagination: { type: 'cursor', param: 'after', next: { segments: ['meta', 'next'] } },
      table: 'orders',
      mode: 'upsert',
      key: ['id'],
      checks: true,
      schedule: '*/5 * * * *',
      into: 'main',
      maxPages: 1000,
      timeoutMs: 10_000,
      retries: 5,
      backoffMs: 250,
      origin: { file: 'sluice.yml', line: 5 },
    });
    const csv = findIngestor(c, 'customers-csv');
    expect(csv).toMatchObject({
      kind: 'files',
      path: 'exports/customers/*.csv',
      format: 'csv',
      csv: { delimiter: ';', header: true, nullValues: ['NA', ''], decimalSeparator: ',' },
      mode: 'overwrite',
      checks: join(dir, 'checks/customers-strict.yml'),
      into: 'dev',
      origin: { file: 'sluice.yml', line: 20 },
    });
    expect(findIngestor(c, 'events')).toMatchObject({
      pagination: { type: 'page', param: 'page', start: 1 },
      records: { text: '$', segments: [] },
      mode: 'append',
      timeoutMs: 30_000,
      retries: 3,
      origin: { file: 'ingestors/events.yml', line: 1 },
    });
    expect(findIngestor(c, 'pages')).toMatchObject({
      records: { segments: ['results', 0, 'rows'] },
      pagination: { type: 'page', param: 'p', start: 0, sizeParam: 'per_page', size: 50 },
      maxPages: 10,
      origin: { file: 'ingestors/more.yaml', line: 1 },
    });
    expect(findIngestor(c, 'linked')).toMatchObject({
      pagination: { type: 'link', next: { segments: ['links', 'next'] } },
      checks: false,
      origin: { file: 'ingestors/more.yaml', line: 8 },
    });

    expect(c.environments.staging).toEqual({
      from: 'main',
      branch: 'staging',
      build: true,
      sample: { fraction: 0.25, seed: 7, tables: ['orders'] },
      mask: [
        { table: 'customers', column: 'email', method: 'hash' },
        { table: 'customers', column: 'phone', method: 'redact' },
      ],
    });
    expect(c.environments.production).toEqual({
      ...PRODUCTION_DEFAULTS,
      smoke: { select: 'tag:smoke' },
    });
    expect(c.alerts).toEqual([
      {
        name: 'team-slack',
        kind: 'slack',
        url: 'https://hooks.example.com/T000/B000',
        headers: {},
        on: ['failures'],
        timeoutMs: 10_000,
        retries: 3,
        backoffMs: 500,
        origin: { file: 'sluice.yml', line: 38 },
      },
      {
        name: 'audit',
        kind: 'webhook',
        url: 'http://127.0.0.1:9999/hook',
        headers: { 'X-Key': `\${AUDIT_KEY}` },
        on: ['load.failed', 'deploy.*'],
        timeoutMs: 2000,
        retries: 1,
        backoffMs: 500,
        origin: { file: 'sluice.yml', line: 41 },
      },
    ]);
    expect(c.schedule).toEqual({
      builds: [{ cron: '0 * * * *', branch: 'staging', select: 'tag:hourly' }],
    });
  });

  it('gives empty defaults when there is no configuration, or no workflow sections', () => {
    const empty = { ingestors: [], environments: {}, alerts: [], schedule: { builds: [] } };
    expect(loadWorkflowConfig(repoWith({}))).toEqual({ ...empty, files: [] });
    expect(loadWorkflowConfig(repoWith({ 'sluice.yml': 'name: shop\ngates: []\n' }))).toEqual({
      ...empty,
      files: ['sluice.yml'],
    });
    expect(
      loadWorkflowConfig(repoWith({ 'sluice.yml': 'ingestors:\nenvironments:\nalerts:\n' })),
    ).toEqual({ ...empty, files: ['sluice.yml'] });
  });

  it('fills every default of an environment written as an empty mapping', () => {
    const c = loadWorkflowConfig(
      repoWith({ 'sluice.yml': 'environments:\n  staging:\n  production: {}\n' }),
    );
    expect(c.environments.staging).toEqual({ ...STAGING_DEFAULTS });
    expect(c.environments.production).toEqual({ ...PRODUCTION_DEFAULTS });
  });

  it("takes staging's build as true, false or the nodes to build ({select, exclude})", () => {
    const staging = (build: string) =>
      loadWorkflowConfig(
        repoWith({ 'sluice.yml': `environments:\n  staging:\n    build: ${build}\n` }),
      ).environments.staging;
    expect(staging('false')).toEqual({ ...STAGING_DEFAULTS, build: false });
    expect(staging('{}')).toEqual({ ...STAGING_DEFAULTS });
    // One string of space-separated selectors, as `--select` takes it, or a list of them.
    expect(
      staging('{select: "tag:hourly +orders", exclude: [raw_orders, "resource_type:seed"]}'),
    ).toEqual({
      ...STAGING_DEFAULTS,
      buildSelect: ['tag:hourly +orders'],
      buildExclude: ['raw_orders', 'resource_type:seed'],
    });
    expect(staging('{exclude: raw_orders}')).toEqual({
      ...STAGING_DEFAULTS,
      buildExclude: ['raw_orders'],
    });
  });

  it(`accepts \${ENV} references in URLs (a Slack webhook URL is the secret)`, () => {
    const c = loadWorkflowConfig(
      repoWith({
        'sluice.yml': `alerts:
  - {name: slack, kind: slack, url: "\${SLACK_WEBHOOK_URL}"}
ingestors:
  - {name: api, kind: rest, url: "https://api.example.com/v1/items?key=\${API_KEY}", table: items}
`,
      }),
    );
    expect(c.alerts[0]?.url).toBe(`\${SLACK_WEBHOOK_URL}`);
    expect(findIngestor(c, 'api')).toMatchObject({
      url: `https://api.example.com/v1/items?key=\${API_KEY}`,
    });
  });

  it('names an unknown ingestor and lists the declared ones', () => {
    const c = loadWorkflowConfig(
      repoWith({ 'sluice.yml': VALID, 'checks/customers-strict.yml': '' }),
    );
    expect(() => findIngestor(c, 'order')).toThrow(/no ingestor "order".*orders, customers-csv/);
  });
});

/** An ingestor with one line changed or added, for the bad-input table. */
const ingestor = (extra: string, base = 'kind: rest\n    url: http://127.0.0.1/x\n') =>
  `name: shop\ningestors:\n  - name: orders\n    ${base}    table: orders\n${extra}`;

describe('bad configuration is an InvalidConfigError naming file:line and the field', () => {
  const cases: { what: string; yml: string; at: string; field: string; reason: RegExp }[] = [
    {
      what: 'an unknown key in an ingestor (a typo)',
      yml: ingestor('    shedule: "* * * * *"\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].shedule',
      reason: /unknown key/,
    },
    {
      what: 'an unknown kind',
      yml: 'ingestors:\n  - name: x\n    kind: ftp\n    table: t\n',
      at: 'sluice.yml:3',
      field: 'ingestors[0].kind',
      reason: /files or rest/,
    },
    {
      what: 'a missing kind',
      yml: 'ingestors:\n  - name: x\n    table: t\n',
      at: 'sluice.yml:2',
      field: 'ingestors[0].kind',
      reason: /files or rest/,
    },
    {
      what: 'a name that cannot be part of a branch name',
      yml: 'ingestors:\n  - name: "my orders/v2"\n    kind: rest\n    url: http://h/x\n    table: t\n',
      at: 'sluice.yml:2',
      field: 'ingestors[0].name',
      reason: /letters, digits/,
    },
    {
      what: 'a table name the tables layer refuses',
      yml: 'ingestors:\n  - name: x\n    kind: rest\n    url: http://h/x\n    table: 1orders\n',
      at: 'sluice.yml:5',
      field: 'ingestors[0].table',
      reason: /invalid table name "1orders"/,
    },
    {
      what: 'a missing table',
      yml: 'ingestors:\n  - name: x\n    kind: rest\n    url: http://h/x\n',
      at: 'sluice.yml:2',
      field: 'ingestors[0].table',
      reason: /required/,
    },
    {
      what: 'an unknown write mode',
      yml: ingestor('    mode: merge\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].mode',
      reason: /append.*overwrite.*upsert/,
    },
    {
      what: 'upsert without a key',
      yml: ingestor('    mode: upsert\n'),
      at: 'sluice.yml:3',
      field: 'ingestors[0].key',
      reason: /upsert needs key/,
    },
    {
      what: 'an invalid cron schedule',
      yml: ingestor('    schedule: "61 * * * *"\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].schedule',
      reason: /invalid cron expression "61 \* \* \* \*"/,
    },
    {
      what: 'a cron schedule with too few fields',
      yml: ingestor('    schedule: "*/5 * *"\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].schedule',
      reason: /invalid cron/,
    },
    {
      what: 'an invalid target branch',
      yml: ingestor('    into: "main..x"\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].into',
      reason: /invalid branch name/,
    },
    {
      what: 'a URL that is not http(s)',
      yml: ingestor('', 'kind: rest\n    url: ftp://example.com/x\n'),
      at: 'sluice.yml:5',
      field: 'ingestors[0].url',
      reason: /http:\/\/ or https:\/\//,
    },
    {
      what: `a URL with \${ENV} that is still not http(s)`,
      yml: ingestor('', `kind: rest\n    url: "ftp://\${HOST}/x"\n`),
      at: 'sluice.yml:5',
      field: 'ingestors[0].url',
      reason: /http:\/\/ or https:\/\//,
    },
    {
      what: `an alert URL with a malformed \${ENV} reference`,
      yml: `alerts:\n  - name: a\n    kind: slack\n    url: "\${SLACK URL}"\n`,
      at: 'sluice.yml:4',
      field: 'alerts[0].url',
      reason: /not an environment variable name/,
    },
    {
      what: 'a method other than GET',
      yml: ingestor('    method: POST\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].method',
      reason: /only GET/,
    },
    {
      what: 'a records path that is not a JSON path',
      yml: ingestor('    records: data.items\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].records',
      reason: /starts with \$/,
    },
    {
      what: 'a records path with a bad step',
      yml: ingestor('    records: $.data[x]\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].records',
      reason: /expected \[index\]/,
    },
    {
      what: 'an unknown pagination type',
      yml: ingestor('    pagination: {type: offset}\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].pagination.type',
      reason: /none, page, cursor, link/,
    },
    {
      what: 'cursor pagination without next',
      yml: ingestor('    pagination:\n      type: cursor\n      param: after\n'),
      at: 'sluice.yml:8',
      field: 'ingestors[0].pagination.next',
      reason: /required/,
    },
    {
      what: 'an unknown key in pagination',
      yml: ingestor('    pagination:\n      type: page\n      per_page: 10\n'),
      at: 'sluice.yml:9',
      field: 'ingestors[0].pagination.per_page',
      reason: /unknown key/,
    },
    {
      what: 'size_param without size',
      yml: ingestor('    pagination: {type: page, size_param: limit}\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].pagination.size',
      reason: /give the page size/,
    },
    {
      what: 'a bad duration',
      yml: ingestor('    timeout: 30 seconds\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].timeout',
      reason: /a duration such as/,
    },
    {
      what: 'negative retries',
      yml: ingestor('    retries: -1\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].retries',
      reason: /too small|>=0/i,
    },
    {
      what: `a malformed \${ENV} reference in a header`,
      yml: ingestor(`    headers:\n      Authorization: "Bearer \${1TOKEN}"\n`),
      at: 'sluice.yml:8',
      field: 'ingestors[0].headers.Authorization',
      reason: /not an environment variable name/,
    },
    {
      what: `an unclosed \${ENV} reference in a header`,
      yml: ingestor(`    headers:\n      Authorization: "Bearer \${TOKEN"\n`),
      at: 'sluice.yml:8',
      field: 'ingestors[0].headers.Authorization',
      reason: /without a closing/,
    },
    {
      what: 'a files path that leaves the repository directory',
      yml: ingestor('', 'kind: files\n    path: ../elsewhere/*.csv\n'),
      at: 'sluice.yml:5',
      field: 'ingestors[0].path',
      reason: /path traversal/,
    },
    {
      what: 'a files path into .sluice/',
      yml: ingestor('', 'kind: files\n    path: .sluice/objects\n'),
      at: 'sluice.yml:5',
      field: 'ingestors[0].path',
      reason: /\.sluice/,
    },
    {
      what: 'a checks file that does not exist',
      yml: ingestor('    checks: checks/nope.yml\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].checks',
      reason: /checks file checks\/nope.yml does not exist/,
    },
    {
      what: 'an unknown csv option',
      yml: ingestor('    csv: {separator: ";"}\n', 'kind: files\n    path: data\n'),
      at: 'sluice.yml:7',
      field: 'ingestors[0].csv.separator',
      reason: /unknown key/,
    },
    {
      what: 'ingestors that are not a list',
      yml: 'ingestors:\n  name: x\n',
      at: 'sluice.yml:2',
      field: 'ingestors',
      reason: /a list of ingestors/,
    },
    {
      what: 'the same ingestor name twice',
      yml: `${ingestor('')}  - name: orders\n    kind: files\n    path: x.csv\n    table: t\n`,
      at: 'sluice.yml:7',
      field: 'ingestors[1].name',
      reason: /already declared at sluice.yml:3/,
    },
    {
      what: 'an unknown environment (a typo)',
      yml: 'environments:\n  stagin: {}\n',
      at: 'sluice.yml:2',
      field: 'environments.stagin',
      reason: /unknown key/,
    },
    {
      what: 'a sample fraction above 1',
      yml: 'environments:\n  staging:\n    sample:\n      fraction: 1.5\n',
      at: 'sluice.yml:4',
      field: 'environments.staging.sample.fraction',
      reason: /0 < fraction ≤ 1/,
    },
    {
      what: 'a sample fraction of 0',
      yml: 'environments:\n  staging:\n    sample: {fraction: 0, seed: 1}\n',
      at: 'sluice.yml:3',
      field: 'environments.staging.sample.fraction',
      reason: /0 < fraction ≤ 1/,
    },
    {
      what: 'a sample seed that is not an integer',
      yml: 'environments:\n  staging:\n    sample: {fraction: 0.5, seed: 1.5}\n',
      at: 'sluice.yml:3',
      field: 'environments.staging.sample.seed',
      reason: /int/i,
    },
    {
      what: 'an unknown masking method',
      yml: 'environments:\n  staging:\n    mask:\n      customers.email: scramble\n',
      at: 'sluice.yml:4',
      field: 'environments.staging.mask.customers.email',
      reason: /hash or redact/,
    },
    {
      what: 'a mask key that is not table.column',
      yml: 'environments:\n  staging:\n    mask:\n      email: hash\n',
      at: 'sluice.yml:4',
      field: 'environments.staging.mask.email',
      reason: /"table.column"/,
    },
    {
      what: 'staging promoted from itself',
      yml: 'environments:\n  staging: {from: staging}\n',
      at: 'sluice.yml:2',
      field: 'environments.staging.branch',
      reason: /its own source/,
    },
    {
      what: 'an unknown key in staging build (a typo)',
      yml: 'environments:\n  staging:\n    build:\n      exlude: [raw_orders]\n',
      at: 'sluice.yml:4',
      field: 'environments.staging.build.exlude',
      reason: /unknown key/,
    },
    {
      what: 'an empty list of selectors in staging build',
      yml: 'environments:\n  staging:\n    build: {exclude: []}\n',
      at: 'sluice.yml:3',
      field: 'environments.staging.build.exclude',
      reason: /at least one selector/,
    },
    {
      what: 'a staging build that is neither a boolean nor a selection',
      yml: 'environments:\n  staging:\n    build: sometimes\n',
      at: 'sluice.yml:3',
      field: 'environments.staging.build',
      reason: /true, false or \{select: …, exclude: …\}/,
    },
    {
      what: 'production with one colour twice',
      yml: 'environments:\n  production:\n    branches: [prod, prod]\n',
      at: 'sluice.yml:3',
      field: 'environments.production.branches',
      reason: /must differ/,
    },
    {
      what: 'production with three colours',
      yml: 'environments:\n  production:\n    branches: [a, b, c]\n',
      at: 'sluice.yml:3',
      field: 'environments.production.branches',
      reason: /two branches/,
    },
    {
      what: 'an unknown key in smoke',
      yml: 'environments:\n  production:\n    smoke: {selector: "tag:smoke"}\n',
      at: 'sluice.yml:3',
      field: 'environments.production.smoke.selector',
      reason: /unknown key/,
    },
    {
      what: 'an alert of an unknown kind',
      yml: 'alerts:\n  - name: a\n    kind: email\n    url: http://h/x\n',
      at: 'sluice.yml:3',
      field: 'alerts[0].kind',
      reason: /webhook or slack/,
    },
    {
      what: 'an alert with a bad event type',
      yml: 'alerts:\n  - name: a\n    kind: webhook\n    url: http://h/x\n    on: ["load failed"]\n',
      at: 'sluice.yml:5',
      field: 'alerts[0].on[0]',
      reason: /an event type/,
    },
    {
      what: 'two alerts with one name',
      yml: 'alerts:\n  - {name: a, kind: webhook, url: "http://h/x"}\n  - {name: a, kind: slack, url: "http://h/y"}\n',
      at: 'sluice.yml:3',
      field: 'alerts[1].name',
      reason: /already declared at line 2/,
    },
    {
      what: 'a scheduled build with a bad cron',
      yml: 'schedule:\n  builds:\n    - cron: "every hour"\n',
      at: 'sluice.yml:3',
      field: 'schedule.builds[0].cron',
      reason: /invalid cron/,
    },
    {
      what: 'an unknown key in schedule',
      yml: 'schedule:\n  ingestors: []\n',
      at: 'sluice.yml:2',
      field: 'schedule.ingestors',
      reason: /unknown key/,
    },
    {
      what: 'malformed YAML',
      yml: 'ingestors:\n  - name: x\n    kind: [rest\n',
      at: 'sluice.yml:',
      field: '',
      reason: /malformed YAML/,
    },
  ];

  for (const c of cases) {
    it(c.what, () => {
      const err = configError(repoWith({ 'sluice.yml': c.yml }));
      expect(err.message.startsWith(`${c.at}${c.at.endsWith(':') ? '' : ':'}`)).toBe(true);
      if (c.field) {
        expect(err.message).toContain(`: ${c.field}: `);
        expect(err.data.field).toBe(c.field);
      }
      expect(err.data.file).toBe('sluice.yml');
      expect(err.message).toMatch(c.reason);
      expect(err.code).toBe('InvalidConfigError');
    });
  }

  it('names the file in ingestors/ and the line there', () => {
    const err = configError(
      repoWith({
        'ingestors/orders.yml':
          'name: orders\nkind: rest\nurl: http://h/x\ntable: orders\nmode: upsrt\n',
      }),
    );
    expect(err.message).toMatch(/^ingestors\/orders.yml:5: mode: /);
    expect(err.data).toMatchObject({ file: 'ingestors/orders.yml', line: 5, field: 'mode' });
  });

  it('names the item of a list in ingestors/', () => {
    const err = configError(
      repoWith({
        'ingestors/all.yml':
          '- name: a\n  kind: files\n  path: a.csv\n  table: a\n- name: b\n  kind: files\n  table: b\n',
      }),
    );
    expect(err.message).toMatch(/^ingestors\/all.yml:5: \[1\].path: required/);
  });

  it('refuses a name declared in sluice.yml and again in ingestors/', () => {
    const err = configError(
      repoWith({
        'sluice.yml': ingestor(''),
        'ingestors/orders.yml': 'name: orders\nkind: files\npath: x.csv\ntable: orders\n',
      }),
    );
    expect(err.message).toMatch(
      /^ingestors\/orders.yml:1: name: ingestor orders is already declared at sluice.yml:3/,
    );
  });
});

describe('environment variables in headers', () => {
  const headers = { Authorization: `Bearer \${API_TOKEN}`, 'X-Both': `\${A}:\${B}`, Plain: 'x' };

  it(`resolves \${NAME} from the environment and reports the values as secrets`, () => {
    const r = resolveHeaders(headers, 'sluice.yml:3: ingestor orders', {
      API_TOKEN: 's3cret-token',
      A: 'alpha-value',
      B: 'beta-value',
    });
    expect(r.headers).toEqual({
      Authorization: 'Bearer s3cret-token',
      'X-Both': 'alpha-value:beta-value',
      Plain: 'x',
    });
    expect(r.secrets.sort()).toEqual(['alpha-value', 'beta-value', 's3cret-token']);
  });

  it('names a missing variable and where it is used, never the values', () => {
    let err: unknown;
    try {
      resolveHeaders(headers, 'sluice.yml:3: ingestor orders', {
        API_TOKEN: 's3cret-token',
        A: 'alpha-value',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingEnvVarError);
    const e = err as MissingEnvVarError;
    expect(e.message).toBe(
      'sluice.yml:3: ingestor orders: header X-Both: the environment variable B is not set',
    );
    expect(e.data).toEqual({
      variable: 'B',
      where: 'sluice.yml:3: ingestor orders: header X-Both',
    });
    expect(JSON.stringify({ m: e.message, d: e.data })).not.toMatch(/s3cret|alpha-value/);
  });

  it('reads process.env by default', () => {
    process.env.SLUICE_TEST_TOKEN_X = 'from-process-env';
    try {
      expect(resolveHeaders({ T: `\${SLUICE_TEST_TOKEN_X}` }, 'here').headers).toEqual({
        T: 'from-process-env',
      });
    } finally {
      delete process.env.SLUICE_TEST_TOKEN_X;
    }
  });
});
