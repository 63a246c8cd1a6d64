// The keys of dbt's properties files (`models/**/*.yml`, and Sluice's `checks/*.yml` in the same
// shape): for each kind of entry, the keys Sluice reads — the quality layer the tests, the pipeline
// layer the descriptions, columns, configs, sources and exposures — and the keys dbt defines that
// Sluice does not use yet (accepted with one warning, so dbt projects still run). Anything else is
// refused with the nearest known key (common/key-check.ts). Both readers of these files check them
// against this one list, so they can never disagree on what a file may say.
import type { KeySpec } from '../common/key-check.js';

const TESTS = ['tests', 'data_tests'];

const freshness: KeySpec = {
  used: ['warn_after', 'error_after'],
  dbt: ['filter'],
  children: {
    warn_after: { map: { used: ['count', 'period'] } },
    error_after: { map: { used: ['count', 'period'] } },
  },
};

const column: KeySpec = {
  used: ['name', 'description', 'data_type', ...TESTS],
  dbt: ['constraints', 'granularity', 'meta', 'policy_tags', 'quote', 'tags', 'config', 'docs'],
  synonyms: { type: 'data_type', checks: 'tests', doc: 'description' },
};

const table = (dbt: string[]): KeySpec => ({
  // A table's `config:` is dbt's free-form config (custom keys are dbt's too): not checked.
  used: ['name', 'description', 'config', 'columns', 'tags', ...TESTS],
  dbt,
  synonyms: { checks: 'tests', doc: 'description', fields: 'columns' },
  children: { columns: { list: column } },
});

const model = table([
  'access',
  'constraints',
  'deprecation_date',
  'docs',
  'group',
  'latest_version',
  'meta',
  'time_spine',
  'versions',
]);

const seed = table(['docs', 'group', 'meta']);

const sourceTable: KeySpec = {
  used: ['name', 'identifier', 'description', 'loaded_at_field', 'freshness', 'columns', ...TESTS],
  dbt: ['external', 'loader', 'meta', 'quoting', 'tags', 'config', 'loaded_at_query', 'docs'],
  synonyms: { checks: 'tests', doc: 'description', fields: 'columns' },
  children: { columns: { list: column }, freshness: { map: freshness } },
};

const source: KeySpec = {
  used: ['name', 'description', 'loaded_at_field', 'freshness', 'tables'],
  dbt: [
    'database',
    'schema',
    'loader',
    'loaded_at_query',
    'meta',
    'overrides',
    'quoting',
    'tags',
    'config',
    ...TESTS,
  ],
  synonyms: { models: 'tables', doc: 'description' },
  children: { tables: { list: sourceTable }, freshness: { map: freshness } },
};

const exposure: KeySpec = {
  used: ['name', 'type', 'owner', 'url', 'description', 'label', 'maturity', 'depends_on'],
  dbt: ['meta', 'tags', 'config'],
  synonyms: { depends: 'depends_on', dependencies: 'depends_on', link: 'url' },
  children: { owner: { map: { used: ['name', 'email'] } } },
};

/** A properties file, from its top level down. */
export const PROPERTIES_FILE: KeySpec = {
  used: ['version', 'models', 'seeds', 'sources', 'exposures'],
  dbt: [
    'analyses',
    'data_tests',
    'groups',
    'macros',
    'metrics',
    'saved_queries',
    'semantic_models',
    'snapshots',
    'unit_tests',
  ],
  synonyms: { tables: 'models', model: 'models', checks: 'models', source: 'sources' },
  children: {
    models: { list: model },
    seeds: { list: seed },
    sources: { list: source },
    exposures: { list: exposure },
  },
};

/**
 * Keys of a generic test's options (its parameters aside): what Sluice honours, and dbt's test
 * configs Sluice does not use yet. `enabled: false` is honoured: the test is left out, as in dbt.
 */
export const TEST_OPTIONS = {
  used: [
    'where',
    'severity',
    'warn_if',
    'error_if',
    'mostly',
    'name',
    'config',
    'arguments',
    'enabled',
  ],
  dbt: [
    'alias',
    'database',
    'schema',
    'fail_calc',
    'limit',
    'store_failures',
    'store_failures_as',
    'tags',
    'meta',
    'description',
    'column_name',
  ],
} as const;
