import { describe, expect, it } from 'vitest';
import {
  folderMaterialization,
  loadProject,
  loadProjectConfig,
  type ProjectConfig,
  parseReference,
} from '../../src/pipeline/project.js';
import { lines, projectDir, projectError } from './support.js';

const write = projectDir;

describe('sluice.yml', () => {
  it('reads name, paths, vars and per-folder materializations', () => {
    const dir = write({
      'sluice.yml': lines(
        'name: shop',
        'paths:',
        '  models: [models, more]',
        '  seeds: data',
        'vars:',
        '  currency: EUR',
        '  methods: [card, cash]',
        'materialized:',
        '  staging: view',
        '  marts: table',
        '  marts/finance: incremental',
        '  /lib/: ephemeral',
      ),
      'models/staging/stg_a.sql': 'select 1 as a',
      'models/marts/finance/revenue.sql': 'select 2 as b',
      'models/.hidden/ghost.sql': 'select 3',
      'models/notes.txt': 'not a model',
      'more/extra.sql': 'select 4',
      'data/raw_a.csv': 'a\n1\n',
      'seeds/not_a_seed_path.csv': 'x\n1\n',
    });
    const p = loadProject(dir);
    expect(p.dir).toBe(dir);
    expect(p.config).toEqual({
      name: 'shop',
      modelPaths: ['models', 'more'],
      seedPaths: ['data'],
      testPaths: ['tests'],
      vars: { currency: 'EUR', methods: ['card', 'cash'] },
      materialized: new Map([
        ['staging', 'view'],
        ['marts', 'table'],
        ['marts/finance', 'incremental'],
        ['lib', 'ephemeral'],
      ]),
      file: 'sluice.yml',
    });
    expect([...p.models.values()]).toEqual([
      {
        name: 'revenue',
        path: 'models/marts/finance/revenue.sql',
        folder: 'marts/finance',
        sql: 'select 2 as b',
      },
      { name: 'stg_a', path: 'models/staging/stg_a.sql', folder: 'staging', sql: 'select 1 as a' },
      { name: 'extra', path: 'more/extra.sql', folder: '', sql: 'select 4' },
    ]);
    expect([...p.seeds.values()]).toEqual([{ name: 'raw_a', path: 'data/raw_a.csv' }]);
    expect([...p.files.keys()]).toEqual([
      'sluice.yml',
      'models/marts/finance/revenue.sql',
      'models/staging/stg_a.sql',
      'more/extra.sql',
      'data/raw_a.csv',
    ]);
    expect(p.files.get('data/raw_a.csv')).toBe('a\n1\n');
    expect(p.propertyFiles).toEqual([]);
    expect(p.properties.size).toBe(0);
    expect(p.sources.size).toBe(0);
    expect(p.exposures.size).toBe(0);

    const m = (folder: string) => folderMaterialization(p.config, folder);
    expect(m('staging')).toBe('view');
    expect(m('staging/deeper')).toBe('view');
    expect(m('marts')).toBe('table');
    expect(m('marts/core')).toBe('table');
    // The longest configured prefix wins.
    expect(m('marts/finance')).toBe('incremental');
    expect(m('marts/finance/q1')).toBe('incremental');
    // A prefix is a whole folder: marts_old is not under marts.
    expect(m('marts_old')).toBe('view');
    expect(m('lib')).toBe('ephemeral');
    // Unconfigured folders and the root: view.
    expect(m('')).toBe('view');
    expect(m('other')).toBe('view');
  });

  it('has defaults: models/, seeds/, no vars, everything a view', () => {
    const dir = write({
      'sluice.yml': 'name: tiny\n',
      'models/a.sql': 'select 1',
      'seeds/s.csv': 'x\n1\n',
    });
    const p = loadProject(dir);
    expect(p.config).toEqual({
      name: 'tiny',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      testPaths: ['tests'],
      vars: {},
      materialized: new Map(),
      file: 'sluice.yml',
    });
    expect([...p.models.keys()]).toEqual(['a']);
    expect([...p.seeds.keys()]).toEqual(['s']);
    expect(folderMaterialization(p.config, 'anything')).toBe('view');
  });

  it('reads sluice.yaml too, and a root-level ("") default', () => {
    const dir = write({
      'sluice.yaml': lines(
        'name: y',
        'paths: {models: src}',
        'materialized: {"": table, tmp: view}',
      ),
    });
    const c = loadProjectConfig(dir);
    expect(c.file).toBe('sluice.yaml');
    expect(c.modelPaths).toEqual(['src']);
    expect(c.seedPaths).toEqual(['seeds']);
    expect(folderMaterialization(c, '')).toBe('table');
    expect(folderMaterialization(c, 'x/y')).toBe('table');
    expect(folderMaterialization(c, 'tmp/z')).toBe('view');
  });

  it('a missing model or seed path is an empty one', () => {
    const dir = write({ 'sluice.yml': 'name: empty\n' });
    const p = loadProject(dir);
    expect(p.models.size).toBe(0);
    expect(p.seeds.size).toBe(0);
    expect([...p.files.keys()]).toEqual(['sluice.yml']);
  });

  it('refuses a bad name, an unknown materialization and unknown paths keys, with the line', () => {
    let e = projectError(() => loadProjectConfig(write({ 'sluice.yml': 'name: 3shop\n' })));
    expect(e.data.file).toBe('sluice.yml');
    expect(e.data.line).toBe(1);
    expect(e.data.reason).toBe('name: a name of letters, digits and _');
    expect(e.message).toBe('sluice.yml:1: name: a name of letters, digits and _');

    e = projectError(() =>
      loadProjectConfig(
        write({
          'sluice.yml': lines('name: shop', 'materialized:', '  staging: view', '  marts: tabel'),
        }),
      ),
    );
    expect(e.data.line).toBe(4);
    expect(e.data.reason).toMatch(/^materialized\.marts: /);
    expect(e.data.reason).toContain('"table"');

    // An unknown key is an InvalidConfigError in every config file, at its own line, naming the
    // nearest known key (issue 13: strict configuration).
    expect(() =>
      loadProjectConfig(
        write({ 'sluice.yml': lines('name: shop', 'paths:', '  models: [m]', '  macros: [x]') }),
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'InvalidConfigError',
        data: expect.objectContaining({
          file: 'sluice.yml',
          line: 4,
          field: 'paths.macros',
          reason: 'unknown key `macros` (known here: models, seeds, tests)',
        }),
      }),
    );

    e = projectError(() =>
      loadProjectConfig(write({ 'sluice.yml': lines('name: shop', 'vars: [1, 2]') })),
    );
    expect(e.data.line).toBe(2);
    expect(e.data.reason).toMatch(/^vars: /);

    e = projectError(() =>
      loadProjectConfig(
        write({ 'sluice.yml': lines('name: shop', 'openlineage:', '  url: marquez:5000') }),
      ),
    );
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toMatch(/^openlineage\.url: /);
    e = projectError(() =>
      loadProjectConfig(
        write({ 'sluice.yml': lines('name: shop', 'openlineage:', '  namespace: shop') }),
      ),
    );
    expect(e.data.reason).toBe('openlineage: give url, file or both');
  });

  it('reads the openlineage: section (timeout in ms)', () => {
    const TOKEN_REF = '$' + '{TOKEN}'; // kept as written: resolved at build time
    const c = loadProjectConfig(
      write({
        'sluice.yml': lines(
          'name: shop',
          'openlineage:',
          '  url: http://127.0.0.1:5000/api/v1/lineage',
          '  timeout: 2s',
          `  headers: {Authorization: "Bearer ${TOKEN_REF}"}`,
        ),
      }),
    );
    expect(c.openlineage).toEqual({
      url: 'http://127.0.0.1:5000/api/v1/lineage',
      timeoutMs: 2000,
      headers: { Authorization: `Bearer ${TOKEN_REF}` },
    });
  });

  it('malformed YAML is a ProjectError on the line of the problem', () => {
    const dir = write({
      'sluice.yml': lines('name: shop', 'vars:', '  currency: EUR', '  currency: USD', 'x: 1'),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'sluice.yml',
      line: 4,
      reason: 'malformed YAML: Map keys must be unique',
    });
    expect(e.message).toBe('sluice.yml:4: malformed YAML: Map keys must be unique');
  });
});

describe('dbt_project.yml', () => {
  const dbtProject = lines(
    'name: jaffle',
    'version: "1.0.0"',
    'profile: jaffle',
    'model-paths: ["transform"]',
    'seed-paths: ["data"]',
    'vars:',
    "  start_date: '2024-01-01'",
    'models:',
    '  jaffle:',
    '    +materialized: view',
    '    +tags: [nightly]',
    '    marts:',
    '      +materialized: table',
    '      finance:',
    '        materialized: incremental',
    '  other_package:',
    '    +materialized: ephemeral',
  );

  it('is read when there is no sluice.yml: paths, vars, the models: tree', () => {
    const dir = write({
      'dbt_project.yml': dbtProject,
      'transform/staging/stg.sql': 'select 1',
      'transform/marts/finance/rev.sql': 'select 2',
      'data/raw.csv': 'a\n1\n',
    });
    const p = loadProject(dir);
    expect(p.config).toEqual({
      name: 'jaffle',
      modelPaths: ['transform'],
      seedPaths: ['data'],
      vars: { start_date: '2024-01-01' },
      materialized: new Map([
        ['', 'view'],
        ['marts', 'table'],
        ['marts/finance', 'incremental'],
      ]),
      folderTags: new Map([['', ['nightly']]]),
      file: 'dbt_project.yml',
      macroPaths: ['macros'],
      testPaths: ['tests'],
      snapshotPaths: ['snapshots'],
    });
    expect([...p.files.keys()]).toEqual([
      'dbt_project.yml',
      'transform/marts/finance/rev.sql',
      'transform/staging/stg.sql',
      'data/raw.csv',
    ]);
    expect(folderMaterialization(p.config, 'staging')).toBe('view');
    expect(folderMaterialization(p.config, 'marts')).toBe('table');
    expect(folderMaterialization(p.config, 'marts/finance')).toBe('incremental');
    expect(folderMaterialization(p.config, 'marts/other')).toBe('table');
  });

  it('defaults to models/ and seeds/', () => {
    const c = loadProjectConfig(write({ 'dbt_project.yml': 'name: d\n' }));
    expect(c).toEqual({
      name: 'd',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      vars: {},
      materialized: new Map(),
      file: 'dbt_project.yml',
      macroPaths: ['macros'],
      testPaths: ['tests'],
      snapshotPaths: ['snapshots'],
    });
  });

  it('reads a dbt project as dbt writes it: un-prefixed materialized, the keys Sluice does not use', () => {
    // jaffle_shop's dbt_project.yml, as is.
    const dir = write({
      'dbt_project.yml': lines(
        "name: 'jaffle_shop'",
        'config-version: 2',
        "version: '0.1'",
        "profile: 'jaffle_shop'",
        'model-paths: ["models"]',
        'seed-paths: ["seeds"]',
        'test-paths: ["tests"]',
        'analysis-paths: ["analysis"]',
        'macro-paths: ["macros"]',
        'snapshot-paths: ["snapshots"]',
        'target-path: "target"',
        'clean-targets: ["target", "dbt_modules", "logs"]',
        'require-dbt-version: [">=1.0.0", "<2.0.0"]',
        'models:',
        '  jaffle_shop:',
        '      materialized: table',
        '      staging:',
        '        materialized: view',
      ),
      'models/staging/stg_orders.sql': 'select 1',
      'models/orders.sql': 'select 2',
      'analysis/a.sql': 'select 3',
    });
    const p = loadProject(dir);
    expect(p.config.name).toBe('jaffle_shop');
    expect(p.config.materialized).toEqual(
      new Map([
        ['', 'table'],
        ['staging', 'view'],
      ]),
    );
    expect(folderMaterialization(p.config, 'staging')).toBe('view');
    expect(folderMaterialization(p.config, '')).toBe('table');
    expect([...p.models.keys()]).toEqual(['orders', 'stg_orders']); // analyses are not models
  });

  it('reads singular tests; refuses what dbt build would run and Sluice cannot: generic tests, snapshots', () => {
    const p = loadProject(
      write({
        'dbt_project.yml': lines('name: j', 'test-paths: [tests, more]'),
        'tests/assert_positive.sql': 'select * from {{ ref("orders") }} where amount < 0',
        'more/deep/assert_few.sql': 'select 1',
      }),
    );
    expect([...p.singularTests.values()]).toEqual([
      {
        name: 'assert_positive',
        path: 'tests/assert_positive.sql',
        folder: '',
        sql: 'select * from {{ ref("orders") }} where amount < 0',
      },
      { name: 'assert_few', path: 'more/deep/assert_few.sql', folder: 'deep', sql: 'select 1' },
    ]);
    expect(p.files.has('more/deep/assert_few.sql')).toBe(true); // snapshotted with the build
    const twice = projectError(() =>
      loadProject(
        write({
          'dbt_project.yml': lines('name: j', 'test-paths: [a, b]'),
          'a/t.sql': 'select 1',
          'b/t.sql': 'select 2',
        }),
      ),
    );
    expect(twice.data).toMatchObject({ file: 'b/t.sql' });
    expect(twice.data.reason).toMatch(/a test named t exists already \(a\/t.sql\)/);
    const generic = projectError(() =>
      loadProject(
        write({
          'dbt_project.yml': lines('name: j', 'test-paths: [checks]'),
          'checks/generic/positive.sql': lines(
            '-- a generic test',
            '{% test positive(model, column_name) %}',
            'select 1',
            '{% endtest %}',
          ),
        }),
      ),
    );
    expect(generic.data).toMatchObject({ file: 'checks/generic/positive.sql', line: 2 });
    expect(generic.data.reason).toMatch(/^custom generic tests \(\{% test %\}\) are not supported/);
    const snapshot = projectError(() =>
      loadProject(
        write({
          'dbt_project.yml': 'name: j\n',
          'snapshots/orders_snapshot.sql':
            '{% snapshot orders_snapshot %}select 1{% endsnapshot %}',
        }),
      ),
    );
    expect(snapshot.data.file).toBe('snapshots/orders_snapshot.sql');
    expect(snapshot.data.reason).toMatch(/^snapshots are not supported/);
    // Empty folders (a .gitkeep) and files that are not SQL are fine; a sluice.yml project
    // has test paths too (paths.tests, default tests/).
    expect(
      loadProject(
        write({
          'dbt_project.yml': 'name: j\n',
          'tests/.gitkeep': '',
          'snapshots/README.md': 'none yet',
        }),
      ).config.name,
    ).toBe('j');
    expect([
      ...loadProject(
        write({ 'sluice.yml': 'name: s\n', 'tests/t.sql': 'select 1' }),
      ).singularTests.keys(),
    ]).toEqual(['t']);
  });

  it('records the macros of the macro paths (a model calling one is told they are not supported)', () => {
    const p = loadProject(
      write({
        'dbt_project.yml': lines('name: j', 'macro-paths: [macros, more]'),
        'macros/cents.sql': lines(
          '{% macro cents_to_dollars(col) %}',
          '{{ col }} / 100',
          '{% endmacro %}',
        ),
        'more/x.sql': lines('', '{%- macro other() -%}1{%- endmacro -%}'),
      }),
    );
    expect(p.macros).toEqual(
      new Map([
        ['cents_to_dollars', { file: 'macros/cents.sql', line: 1 }],
        ['other', { file: 'more/x.sql', line: 2 }],
      ]),
    );
    expect([...p.files.keys()]).toEqual(['dbt_project.yml']); // not part of what a build uses
  });

  it('refuses an unknown materialization in the models: tree, with its line', () => {
    const dir = write({
      'dbt_project.yml': lines(
        'name: jaffle',
        'models:',
        '  jaffle:',
        '    marts:',
        '      +materialized: tabel',
      ),
    });
    const e = projectError(() => loadProjectConfig(dir));
    expect(e.data).toEqual({
      file: 'dbt_project.yml',
      line: 5,
      reason: 'models.jaffle.marts.+materialized: one of table, view, incremental, ephemeral',
    });
  });

  it('malformed dbt_project.yml names its line', () => {
    const dir = write({ 'dbt_project.yml': lines('name: j', 'vars:', '  a: b: c') });
    const e = projectError(() => loadProjectConfig(dir));
    expect(e.data.file).toBe('dbt_project.yml');
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toBe(
      'malformed YAML: Nested mappings are not allowed in compact mappings',
    );
  });

  it('sluice.yml wins when both exist', () => {
    const dir = write({
      'sluice.yml': lines('name: from_sluice', 'paths: {models: [m]}'),
      'dbt_project.yml': dbtProject,
    });
    const p = loadProject(dir);
    expect(p.config.name).toBe('from_sluice');
    expect(p.config.file).toBe('sluice.yml');
    expect(p.config.modelPaths).toEqual(['m']);
    expect([...p.files.keys()]).toEqual(['sluice.yml']);
  });

  it('a sluice.yml without a name (only repository settings) defers to dbt_project.yml', () => {
    const dir = write({
      'sluice.yml': lines('gates:', '  - branch: main'),
      'dbt_project.yml': dbtProject,
    });
    const c = loadProjectConfig(dir);
    expect(c.name).toBe('jaffle');
    expect(c.file).toBe('dbt_project.yml');
  });

  it('neither file is a ProjectError naming the directory', () => {
    const dir = write({ 'models/a.sql': 'select 1' });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'sluice.yml',
      reason: `no sluice.yml or dbt_project.yml in ${dir}`,
    });
    expect(e.message).toBe(`sluice.yml: no sluice.yml or dbt_project.yml in ${dir}`);
  });
});

describe('models and seeds', () => {
  it('two models of one name (in two folders) are refused', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/a/orders.sql': 'select 1',
      'models/b/orders.sql': 'select 2',
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'models/b/orders.sql',
      reason: 'a model named orders exists already (models/a/orders.sql)',
    });
  });

  it('two models of one name in two model paths are refused', () => {
    const dir = write({
      'sluice.yml': lines('name: p', 'paths: {models: [one, two]}'),
      'one/x.sql': 'select 1',
      'two/x.sql': 'select 2',
    });
    expect(projectError(() => loadProject(dir)).data.file).toBe('two/x.sql');
  });

  it.each([
    ['my-model', 'models/my-model.sql'],
    ['1st', 'models/sub/1st.sql'],
    ['has space', 'models/has space.sql'],
    ['dot.ted', 'models/dot.ted.sql'],
  ])('a model file named %j is refused', (name, path) => {
    const dir = write({ 'sluice.yml': 'name: p\n', [path]: 'select 1' });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: path,
      reason: `model name ${JSON.stringify(name)}: use letters, digits and _`,
    });
  });

  it('a seed named like a model, and a seed that is not an identifier, are refused', () => {
    let e = projectError(() =>
      loadProject(
        write({ 'sluice.yml': 'name: p\n', 'models/x.sql': 'select 1', 'seeds/x.csv': 'a\n1\n' }),
      ),
    );
    expect(e.data).toEqual({ file: 'seeds/x.csv', reason: 'x is both a seed and a model' });
    e = projectError(() =>
      loadProject(write({ 'sluice.yml': 'name: p\n', 'seeds/raw-x.csv': 'a\n1\n' })),
    );
    expect(e.data).toEqual({
      file: 'seeds/raw-x.csv',
      reason: 'seed name "raw-x": use letters, digits and _',
    });
  });

  it('upper-case extensions count', () => {
    const p = loadProject(
      write({ 'sluice.yml': 'name: p\n', 'models/Up.SQL': 'select 1', 'seeds/S.CSV': 'a\n' }),
    );
    expect([...p.models.keys()]).toEqual(['Up']);
    expect([...p.seeds.keys()]).toEqual(['S']);
  });
});

describe('properties files', () => {
  it('reads models: descriptions, columns, config and tags', () => {
    const schema = lines(
      'version: 2',
      'models:',
      '  - name: orders',
      '    description: One row per order.',
      '    tags: finance',
      '    config:',
      '      materialized: incremental',
      '      unique_key: [order_id, line]',
      '      tags: [core]',
      '      alias: orders_v2',
      '      contract: {enforced: true}',
      '      enabled: true',
      '      schema: ignored_adapter_setting',
      '    columns:',
      '      - name: order_id',
      '        description: The id.',
      '        data_type: integer',
      '        tests: [unique, not_null]',
      '      - name: line',
      '  - name: ingested_elsewhere',
      '    description: No model builds this table; its tests are checks.',
    );
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/orders.sql': 'select 1 as order_id',
      'models/schema.yml': schema,
    });
    const p = loadProject(dir);
    expect(p.propertyFiles).toEqual(['models/schema.yml']);
    expect(p.files.get('models/schema.yml')).toBe(schema);
    expect(p.properties.get('orders')).toEqual({
      name: 'orders',
      description: 'One row per order.',
      columns: [
        { name: 'order_id', description: 'The id.', dataType: 'integer' },
        { name: 'line' },
      ],
      config: {
        materialized: 'incremental',
        uniqueKey: ['order_id', 'line'],
        tags: ['core'],
        alias: 'orders_v2',
        contractEnforced: true,
        enabled: true,
      },
      tags: ['finance'],
      file: 'models/schema.yml',
      line: 3,
    });
    // An entry for a table no model builds is accepted.
    expect(p.properties.get('ingested_elsewhere')).toEqual({
      name: 'ingested_elsewhere',
      description: 'No model builds this table; its tests are checks.',
      columns: [],
      config: {},
      tags: [],
      file: 'models/schema.yml',
      line: 20,
    });
  });

  it('reads seeds: entries as the seeds’ properties', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'seeds/raw_orders.csv': 'id\n1\n',
      'models/seeds.yml': lines(
        'version: 2',
        'seeds:',
        '  - name: raw_orders',
        '    description: Orders as exported.',
        '    tags: [raw]',
        '    columns:',
        '      - name: id',
      ),
    });
    const p = loadProject(dir);
    expect(p.properties.get('raw_orders')).toEqual({
      name: 'raw_orders',
      description: 'Orders as exported.',
      columns: [{ name: 'id' }],
      config: {},
      tags: ['raw'],
      file: 'models/seeds.yml',
      line: 3,
    });
  });

  it('a wrong type is refused with the file and the line of the value', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/sub/schema.yml': lines(
        'version: 2',
        'models:',
        '  - name: a',
        '    description: fine',
        '    columns: 5',
      ),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data.file).toBe('models/sub/schema.yml');
    expect(e.data.line).toBe(5);
    expect(e.data.reason).toMatch(/^models\.0\.columns: .*array/);
    expect(e.message).toBe(`models/sub/schema.yml:5: ${e.data.reason}`);
  });

  it('an unknown materialization in config: is refused on its line', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/schema.yml': lines(
        'version: 2',
        'models:',
        '  - name: a',
        '  - name: b',
        '    config:',
        '      tags: [x]',
        '      materialized: tabel',
      ),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data.file).toBe('models/schema.yml');
    expect(e.data.line).toBe(7);
    expect(e.data.reason).toMatch(/^models\.1\.config\.materialized: /);
    expect(e.data.reason).toContain('"incremental"');
  });

  it('an entry without a name is refused on the entry’s line', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/schema.yml': lines('version: 2', 'models:', '  - name: a', '  - description: x'),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data.line).toBe(4);
    expect(e.data.reason).toMatch(/^models\.1\.name: /);
  });

  it('a top-level section of the wrong shape is refused', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/schema.yml': lines('version: 2', '', 'models: {name: a}'),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toMatch(/^models: /);
  });

  it('malformed properties YAML names the file and line', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/schema.yml': lines(
        'version: 2',
        'models:',
        '  - name: a',
        '    columns:',
        '      - name: x',
        '     description: y',
      ),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'models/schema.yml',
      line: 6,
      reason: 'malformed YAML: All mapping items must start at the same column',
    });
  });

  it('a model described twice is refused, naming both places', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/a.yml': lines('version: 2', 'models:', '  - name: x'),
      'models/b.yml': lines('models:', '  - name: y', '  - name: x'),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'models/b.yml',
      line: 3,
      reason: 'model x is described twice (also models/a.yml:3)',
    });
  });

  it('an empty properties file is fine', () => {
    const p = loadProject(write({ 'sluice.yml': 'name: p\n', 'models/empty.yml': '' }));
    expect(p.propertyFiles).toEqual(['models/empty.yml']);
  });
});

describe('docs blocks', () => {
  const docsFiles = {
    'sluice.yml': 'name: p\n',
    'models/docs.md': lines(
      '{% docs orders_status %}',
      '',
      'One of **placed**, **shipped**.',
      '',
      '{% enddocs %}',
      '',
      '{%- docs money -%} In EUR. {%- enddocs -%}',
    ),
    'models/staging/more.md': lines(
      '# not a docs file',
      '{% docs raw_orders %}As loaded.{% enddocs %}',
    ),
  };

  it("resolve {{ doc('…') }} in descriptions: models, columns, sources, exposures", () => {
    const p = loadProject(
      write({
        ...docsFiles,
        'models/schema.yml': lines(
          'models:',
          '  - name: orders',
          '    description: "Orders. {{ doc(\'money\') }}"',
          '    columns:',
          '      - name: status',
          '        description: \'{{ doc("orders_status") }}\'',
          '      - name: amount',
          '        description: Plain {{ not_a_doc }}',
          'sources:',
          '  - name: raw',
          '    tables:',
          '      - name: orders',
          '        description: "{{doc(\'raw_orders\')}}"',
          '        columns: [{name: id, description: "{{ doc(\'money\') }}"}]',
          'exposures:',
          '  - name: dash',
          '    type: dashboard',
          '    owner: {name: a}',
          '    description: "{{ doc(\'money\') }}"',
        ),
      }),
    );
    const orders = p.properties.get('orders');
    expect(orders?.description).toBe('Orders. In EUR.');
    expect(orders?.columns).toEqual([
      { name: 'status', description: 'One of **placed**, **shipped**.' },
      { name: 'amount', description: 'Plain {{ not_a_doc }}' },
    ]);
    expect(p.sources.get('raw.orders')?.description).toBe('As loaded.');
    expect(p.sources.get('raw.orders')?.columns).toEqual([{ name: 'id', description: 'In EUR.' }]);
    expect(p.exposures.get('dash')?.description).toBe('In EUR.');
    // The docs files are part of the project (snapshotted with it).
    expect(p.files.has('models/docs.md')).toBe(true);
    expect(p.files.has('models/staging/more.md')).toBe(true);
  });

  it('an unknown doc is refused on the line of its description; a block defined twice too', () => {
    const unknown = projectError(() =>
      loadProject(
        write({
          ...docsFiles,
          'models/schema.yml': lines(
            'models:',
            '  - name: orders',
            '    columns:',
            '      - name: status',
            '        description: \'{{ doc("order_status") }}\'',
          ),
        }),
      ),
    );
    expect(unknown.data).toEqual({
      file: 'models/schema.yml',
      line: 5,
      reason:
        'doc("order_status"): no {% docs order_status %} block in a .md file under the model paths (docs: money, orders_status, raw_orders)',
    });
    const twice = projectError(() =>
      loadProject(
        write({ ...docsFiles, 'models/z.md': lines('', '{% docs money %}x{% enddocs %}') }),
      ),
    );
    expect(twice.data).toEqual({
      file: 'models/z.md',
      line: 2,
      reason: 'docs block money is defined twice (also models/docs.md:7)',
    });
  });
});

describe('sources', () => {
  it('reads tables, identifiers, columns, freshness and loaded_at_field (the table’s wins)', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/sources.yml': lines(
        'version: 2',
        'sources:',
        '  - name: raw',
        '    description: The raw layer.',
        '    loaded_at_field: _loaded_at',
        '    freshness:',
        '      warn_after: {count: 12, period: hour}',
        '      error_after: {count: 1, period: day}',
        '    tables:',
        '      - name: orders',
        '        identifier: raw_orders_v2',
        '        description: Orders',
        '      - name: customers',
        '        loaded_at_field: updated_at',
        '        freshness:',
        '          warn_after: {count: 30, period: minute}',
        '      - name: events',
        '        freshness: null',
        '        columns:',
        '          - name: id',
        '            data_type: integer',
        '  - name: crm',
        '    tables:',
        '      - name: accounts',
      ),
    });
    const p = loadProject(dir);
    expect([...p.sources.keys()]).toEqual([
      'raw.orders',
      'raw.customers',
      'raw.events',
      'crm.accounts',
    ]);
    const f = 'models/sources.yml';
    expect(p.sources.get('raw.orders')).toEqual({
      source: 'raw',
      name: 'orders',
      identifier: 'raw_orders_v2',
      description: 'Orders',
      loadedAtField: '_loaded_at',
      freshness: {
        warnAfter: { count: 12, period: 'hour' },
        errorAfter: { count: 1, period: 'day' },
      },
      columns: [],
      file: f,
      line: 10,
    });
    expect(p.sources.get('raw.customers')).toEqual({
      source: 'raw',
      name: 'customers',
      identifier: 'customers',
      loadedAtField: 'updated_at',
      freshness: { warnAfter: { count: 30, period: 'minute' } },
      columns: [],
      file: f,
      line: 13,
    });
    // freshness: null switches the source's freshness off for the table.
    expect(p.sources.get('raw.events')).toEqual({
      source: 'raw',
      name: 'events',
      identifier: 'events',
      loadedAtField: '_loaded_at',
      columns: [{ name: 'id', dataType: 'integer' }],
      file: f,
      line: 17,
    });
    expect(p.sources.get('crm.accounts')).toEqual({
      source: 'crm',
      name: 'accounts',
      identifier: 'accounts',
      columns: [],
      file: f,
      line: 24,
    });
  });

  it('refuses a bad freshness period and a table declared twice', () => {
    let e = projectError(() =>
      loadProject(
        write({
          'sluice.yml': 'name: p\n',
          'models/s.yml': lines(
            'sources:',
            '  - name: raw',
            '    tables:',
            '      - name: t',
            '        freshness:',
            '          warn_after: {count: 2, period: week}',
          ),
        }),
      ),
    );
    expect(e.data.file).toBe('models/s.yml');
    expect(e.data.line).toBe(6);
    expect(e.data.reason).toMatch(/^sources\.0\.tables\.0\.freshness\.warn_after\.period: /);

    e = projectError(() =>
      loadProject(
        write({
          'sluice.yml': 'name: p\n',
          'models/s.yml': lines('sources:', '  - name: raw', '    tables:', '      - name: t'),
          'models/t.yml': lines('sources:', '  - name: raw', '    tables:', '      - name: t'),
        }),
      ),
    );
    expect(e.data).toEqual({
      file: 'models/t.yml',
      line: 4,
      reason: 'source raw.t is declared twice',
    });
  });
});

describe('exposures', () => {
  it('reads an exposure with ref() and source() dependencies', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/exposures.yml': lines(
        'version: 2',
        'exposures:',
        '  - name: weekly',
        '    type: dashboard',
        '    owner: {name: Finance, email: finance@example.com}',
        '    url: https://bi.example.com/weekly',
        '    description: Weekly revenue.',
        '    label: Weekly revenue',
        '    maturity: high',
        '    depends_on:',
        "      - ref('orders')",
        '      - source("raw", "events")',
        '      - " ref( \'customers\' ) "',
        '  - name: bare',
        '    type: ml',
        '    owner: {}',
      ),
    });
    const p = loadProject(dir);
    expect(p.exposures.get('weekly')).toEqual({
      name: 'weekly',
      type: 'dashboard',
      owner: { name: 'Finance', email: 'finance@example.com' },
      url: 'https://bi.example.com/weekly',
      description: 'Weekly revenue.',
      label: 'Weekly revenue',
      maturity: 'high',
      dependsOn: [
        { kind: 'ref', name: 'orders' },
        { kind: 'source', source: 'raw', table: 'events' },
        { kind: 'ref', name: 'customers' },
      ],
      file: 'models/exposures.yml',
      line: 3,
    });
    expect(p.exposures.get('bare')).toEqual({
      name: 'bare',
      type: 'ml',
      owner: {},
      dependsOn: [],
      file: 'models/exposures.yml',
      line: 14,
    });
  });

  it('a depends_on that is not ref() or source() is refused on the exposure’s line', () => {
    const dir = write({
      'sluice.yml': 'name: p\n',
      'models/exposures.yml': lines(
        'exposures:',
        '  - name: ok',
        '    type: notebook',
        '    owner: {name: x}',
        '  - name: weekly',
        '    type: dashboard',
        '    owner: {name: x}',
        '    depends_on: [orders]',
      ),
    });
    const e = projectError(() => loadProject(dir));
    expect(e.data).toEqual({
      file: 'models/exposures.yml',
      line: 5,
      reason: `exposure weekly: depends_on "orders" is not ref('…') or source('…', '…')`,
    });
  });

  it('an unknown exposure type and a missing owner are refused', () => {
    let e = projectError(() =>
      loadProject(
        write({
          'sluice.yml': 'name: p\n',
          'models/x.yml': lines('exposures:', '  - name: w', '    type: report', '    owner: {}'),
        }),
      ),
    );
    expect(e.data.line).toBe(3);
    expect(e.data.reason).toMatch(/^exposures\.0\.type: /);
    e = projectError(() =>
      loadProject(
        write({
          'sluice.yml': 'name: p\n',
          'models/x.yml': lines('exposures:', '  - name: w', '    type: ml'),
        }),
      ),
    );
    expect(e.data.line).toBe(2);
    expect(e.data.reason).toMatch(/^exposures\.0\.owner: /);
  });

  it('parseReference reads ref() and source() with either quote, and nothing else', () => {
    expect(parseReference("ref('a')")).toEqual({ kind: 'ref', name: 'a' });
    expect(parseReference('ref("a")')).toEqual({ kind: 'ref', name: 'a' });
    expect(parseReference("  ref ( 'a' )  ")).toEqual({ kind: 'ref', name: 'a' });
    expect(parseReference("source('raw','t')")).toEqual({
      kind: 'source',
      source: 'raw',
      table: 't',
    });
    expect(parseReference('source( "raw" , "t" )')).toEqual({
      kind: 'source',
      source: 'raw',
      table: 't',
    });
    expect(parseReference('a')).toBeUndefined();
    expect(parseReference("ref('a'")).toBeUndefined();
    expect(parseReference("source('raw')")).toBeUndefined();
    expect(parseReference("ref('a') extra")).toBeUndefined();
  });
});

describe('folderMaterialization', () => {
  it('picks the longest configured prefix, by whole folders', () => {
    const config: ProjectConfig = {
      name: 'p',
      modelPaths: ['models'],
      seedPaths: ['seeds'],
      vars: {},
      materialized: new Map([
        ['a', 'table'],
        ['a/b', 'ephemeral'],
        ['a/bc', 'incremental'],
      ]),
      file: 'sluice.yml',
    };
    expect(folderMaterialization(config, 'a')).toBe('table');
    expect(folderMaterialization(config, 'a/b')).toBe('ephemeral');
    expect(folderMaterialization(config, 'a/b/c')).toBe('ephemeral');
    expect(folderMaterialization(config, 'a/bc')).toBe('incremental');
    expect(folderMaterialization(config, 'a/bcd')).toBe('table');
    expect(folderMaterialization(config, 'ab')).toBe('view');
  });
});
