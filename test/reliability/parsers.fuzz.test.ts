// Every parser of user input, fuzzed: names, paths, ref expressions, durations, thresholds, JSON
// paths, cron, and the YAML files a user writes (checks and properties files, sluice.yml,
// ingestors, dbt_project.yml, the ingest schema file) — random text and near-valid documents with
// random mutations. The property is the project's rule for bad input: a parser accepts, or it
// refuses with a SluiceError carrying a stable code; never a TypeError, a RangeError, a crash or
// a hang. Seeded (SLUICE_TEST_SEED reruns a failure), with a fixed number of runs per parser so
// the suite fits CI's budget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { initRepository } from '../../src/api/open-repository.js';
import { SluiceError } from '../../src/common/errors.js';
import { parseRepoPath, validateRefName } from '../../src/common/ids.js';
import type { Repository } from '../../src/core/repository.js';
import { loadProjectConfig as loadPipelineConfig } from '../../src/pipeline/project/config.js';
import { loadProjectConfig as loadGateConfig } from '../../src/quality/gate-config.js';
import { parseSpecText, parseThreshold } from '../../src/quality/spec.js';
import { readSchemaFile } from '../../src/tables/schema-file.js';
import { loadWorkflowConfig } from '../../src/workflow/config/index.js';
import { parseDuration, parseSince } from '../../src/workflow/events/index.js';
import { validateCron } from '../../src/workflow/schedule.js';
import { parseJsonPath } from '../../src/workflow/sources/json-path.js';
import { testSeed } from '../engine/support.js';

const RUNS = Number(process.env.SLUICE_FUZZ_RUNS ?? 300);
const params = (name: string, numRuns = RUNS) => ({ seed: testSeed(name), numRuns });

/** Runs `f`; a throw must be a SluiceError with a code (the refusal), anything else fails. */
function acceptsOrRefuses(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof SluiceError) || typeof err.code !== 'string') throw err;
  }
}

async function acceptsOrRefusesAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (err) {
    if (!(err instanceof SluiceError) || typeof err.code !== 'string') throw err;
  }
}

/** Strings with the characters that break parsers: controls, quotes, slashes, dots, Unicode. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom('.', '..', '/', '\\', '~', '^', '@', '{', '}', ':', '*', '?', '[', ' ', '\0'),
      { maxLength: 12 },
    )
    .map((xs) => xs.join('')),
  fc
    .array(fc.oneof(fc.constantFrom('main', 'a', 'x.lock', '..', '~2', '^', '@{1}'), fc.string()), {
      maxLength: 6,
    })
    .map((xs) => xs.join('/')),
);

describe('names and paths', () => {
  it('a ref name is accepted as it is, or refused with InvalidNameError', () => {
    fc.assert(
      fc.property(
        nasty,
        fc.constantFrom('branch', 'tag', 'alias') as fc.Arbitrary<'branch'>,
        (s, kind) => {
          try {
            expect(validateRefName(s, kind)).toBe(s);
            expect(s).not.toMatch(/\.\.|\/\/|[\0-\x1f\x7f~^:?*[\\ ]|@\{/);
          } catch (err) {
            expect((err as SluiceError).code).toBe('InvalidNameError');
          }
        },
      ),
      params('fuzz-names'),
    );
  });

  it('a path is normalized (no leading /, no . or .. segment) or refused with InvalidPathError', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        try {
          const p = parseRepoPath(s);
          expect(p.startsWith('/')).toBe(false);
          expect(p.split('/').some((seg) => seg === '.' || seg === '..')).toBe(false);
          expect(p.includes('\0')).toBe(false);
        } catch (err) {
          expect((err as SluiceError).code).toBe('InvalidPathError');
        }
      }),
      params('fuzz-paths'),
    );
  });
});

describe('ref expressions', () => {
  let dir: string;
  let repo: Repository;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-refs-'));
    repo = await initRepository(dir, { committer: 'fuzz' });
    await repo.putObject('main', 'a.txt', Buffer.from('a'));
    await repo.commit('main', { message: 'one' });
    await repo.createBranch('feat/x');
    await repo.createTag('v1', 'main');
  });
  afterAll(async () => {
    await repo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolve() finds a commit or refuses with a SluiceError', async () => {
    const expr = fc.oneof(
      nasty,
      fc
        .tuple(
          fc.constantFrom('main', 'feat/x', 'v1', 'HEAD', 'nope', ''),
          fc.array(fc.constantFrom('~', '~1', '~99', '^', '^2', '^^', '@{0}', 'x'), {
            maxLength: 4,
          }),
        )
        .map(([base, ops]) => base + ops.join('')),
    );
    await fc.assert(
      fc.asyncProperty(expr, async (e) => acceptsOrRefusesAsync(() => repo.resolve(e))),
      params('fuzz-refs', 150),
    );
  });
});

describe('small grammars', () => {
  it('durations and --since: a number or Date, or InvalidArgumentError', () => {
    const text = fc.oneof(
      nasty,
      fc
        .tuple(
          fc.integer({ min: -5, max: 1e12 }),
          fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', ''),
        )
        .map(([n, u]) => `${n}${u}`),
    );
    fc.assert(
      fc.property(text, (t) => {
        acceptsOrRefuses(() => {
          const ms = parseDuration(t);
          expect(Number.isFinite(ms) && ms >= 0).toBe(true);
        });
        acceptsOrRefuses(() => expect(Number.isFinite(parseSince(t).getTime())).toBe(true));
      }),
      params('fuzz-durations'),
    );
  });

  it('thresholds, JSON paths and cron never throw anything but a refusal', () => {
    fc.assert(
      fc.property(nasty, (t) => {
        const th = parseThreshold(t);
        if (th) expect(Number.isFinite(th.value)).toBe(true);
        const jp = parseJsonPath(t);
        expect(typeof jp === 'string' || Array.isArray(jp.segments)).toBe(true);
        acceptsOrRefuses(() => validateCron(t));
      }),
      params('fuzz-grammars'),
    );
  });
});

// ---- the YAML files a user writes ---------------------------------------------------------------

/** A valid document of each kind, to mutate. */
const VALID = {
  checks: {
    version: 2,
    models: [
      {
        name: 'orders',
        tests: [{ row_count: { min: 1 } }],
        columns: [
          {
            name: 'id',
            tests: [
              'not_null',
              'unique',
              { accepted_values: { values: [1, 2], config: { severity: 'warn' } } },
            ],
          },
          { name: 'amount', tests: [{ between: { min: 0, where: 'id > 0' } }] },
        ],
      },
    ],
    sources: [
      {
        name: 'raw',
        tables: [{ name: 't', freshness: { warn_after: { count: 1, period: 'day' } } }],
      },
    ],
  },
  sluice: {
    name: 'shop',
    paths: { models: ['models'] },
    vars: { a: 1 },
    gates: [{ branch: 'main', webhooks: [{ url: 'http://127.0.0.1:1/x', timeout: '1s' }] }],
    ingestors: [{ name: 'orders', kind: 'files', path: 'exports/*.csv', table: 'orders' }],
    environments: { staging: { sample: { fraction: 0.5, seed: 1 } } },
    alerts: [{ name: 'team', kind: 'webhook', url: 'http://127.0.0.1:1/hook' }],
    schedule: { builds: [{ cron: '0 * * * *' }] },
  },
  dbt: {
    name: 'shop',
    'model-paths': ['models'],
    vars: { x: 1 },
    models: { shop: { '+materialized': 'table' } },
  },
  schema: { columns: [{ name: 'id', type: 'BIGINT' }] },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A random edit somewhere in a document: drop, rename or retype a key, or change a value. */
function mutate(doc: Json, rnd: () => number, depth = 0): Json {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const junk = (): Json =>
    pick<Json>([
      null,
      true,
      -1,
      1e308,
      '',
      'x',
      '\u0024{NOPE}',
      '../..',
      [],
      {},
      [null],
      { a: null },
    ]);
  if (Array.isArray(doc)) {
    if (doc.length === 0 || rnd() < 0.2) return [...doc, junk()];
    const i = Math.floor(rnd() * doc.length);
    return doc.map((v, j) => (j === i ? mutate(v, rnd, depth + 1) : v));
  }
  if (doc !== null && typeof doc === 'object') {
    const keys = Object.keys(doc);
    const out: { [k: string]: Json } = { ...doc };
    const r = rnd();
    if (keys.length === 0 || r < 0.15)
      out[pick(['nmae', 'tests', 'x', '', ' ', '__proto__', 'constructor'])] = junk();
    else {
      const k = pick(keys);
      if (r < 0.3) delete out[k];
      else if (r < 0.45) {
        out[`${k}s`] = out[k] as Json;
        delete out[k];
      } else if (r < 0.6) out[k] = junk();
      else out[k] = mutate(out[k] as Json, rnd, depth + 1);
    }
    return out;
  }
  return rnd() < 0.5 ? junk() : doc;
}

const document = (base: Json) =>
  fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v)),
    fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer()).map(([edits, seed]) => {
      let s = seed;
      const rnd = () => {
        s = (Math.imul(s, 1103515245) + 12345) | 0;
        return ((s >>> 0) % 1_000_000) / 1_000_000;
      };
      let doc = base;
      for (let i = 0; i < edits; i++) doc = mutate(doc, rnd);
      return stringify(doc);
    }),
  );

describe('the YAML files a user writes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-yaml-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('checks and properties files', () => {
    fc.assert(
      fc.property(document(VALID.checks as Json), (text) =>
        acceptsOrRefuses(() => parseSpecText(text, 'checks/x.yml')),
      ),
      params('fuzz-checks'),
    );
  });

  it('sluice.yml, as the gates, the project and the workflow read it', () => {
    fc.assert(
      fc.property(document(VALID.sluice as Json), (text) => {
        writeFileSync(join(dir, 'sluice.yml'), text);
        acceptsOrRefuses(() => loadGateConfig(dir));
        acceptsOrRefuses(() => loadPipelineConfig(dir));
        acceptsOrRefuses(() => loadWorkflowConfig(dir));
      }),
      params('fuzz-sluice-yml', 200),
    );
  });

  it('ingestors/*.yml and dbt_project.yml', () => {
    const own = join(dir, 'dbt');
    mkdirSync(join(own, 'ingestors'), { recursive: true });
    fc.assert(
      fc.property(
        document(VALID.sluice.ingestors[0] as Json),
        document(VALID.dbt as Json),
        (ingestor, dbt) => {
          writeFileSync(join(own, 'ingestors', 'x.yml'), ingestor);
          writeFileSync(join(own, 'dbt_project.yml'), dbt);
          acceptsOrRefuses(() => loadWorkflowConfig(own));
          acceptsOrRefuses(() => loadPipelineConfig(own));
        },
      ),
      params('fuzz-ingestors-dbt', 200),
    );
  });

  it('the ingest schema file', async () => {
    const file = join(dir, 'schema.yml');
    await fc.assert(
      fc.asyncProperty(document(VALID.schema as Json), async (text) => {
        writeFileSync(file, text);
        await acceptsOrRefusesAsync(() => readSchemaFile(file));
      }),
      params('fuzz-schema-file', 150),
    );
  });
});
