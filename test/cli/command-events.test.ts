// The event log of the plain commands, through the built CLI: `sluice build | test`, `sluice check`
// and `sluice merge` each append one event — with its refs, commit ids and outcome — whether the
// command succeeds, is refused or throws; `sluice load` still records its own check and merge once;
// an event that cannot be appended is a warning that changes neither the output nor the exit code.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type StoredEvent } from '../../src/workflow/events/index.js';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, cliFor, runCli, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-command-events-');
let n = 0;

type Sluice = ReturnType<typeof cliFor>;

/** A fresh repository in its own directory, with `files` (relative path → text) written first. */
async function repository(
  files: Record<string, string> = {},
): Promise<{ dir: string; sluice: Sluice }> {
  const dir = join(root, `repo${n++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = await runCli(['init', dir, '-q']);
  expect(r.code, r.stderr).toBe(0);
  return { dir, sluice: cliFor(dir) };
}

function ok(r: CliResult, code = 0): CliResult {
  expect(r.code, r.stdout + r.stderr).toBe(code);
  return r;
}

async function eventsOf(sluice: Sluice, type?: string): Promise<StoredEvent[]> {
  const r = ok(await sluice(['--json', 'events', ...(type ? ['--type', type] : [])]));
  return r.json.events;
}

/** Ingests `csv` (a table's rows) into `table` on `branch`, as one commit. */
async function ingest(sluice: Sluice, table: string, csv: string, branch = 'main'): Promise<void> {
  const file = join(root, `in${n++}.csv`);
  writeFileSync(file, `${csv}\n`);
  ok(
    await sluice([
      'ingest',
      file,
      '--table',
      table,
      '--key',
      'id',
      '--mode',
      'upsert',
      '-b',
      branch,
      '-m',
      `${table} on ${branch}`,
      '-q',
    ]),
  );
}

/** Writes `text` at `path` on `branch`, as one commit. */
async function putFile(sluice: Sluice, path: string, text: string, branch: string): Promise<void> {
  const file = join(root, `put${n++}`);
  writeFileSync(file, `${text}\n`);
  ok(await sluice(['put', file, path, '-b', branch, '-q']));
  ok(await sluice(['commit', '-m', `${path} on ${branch}`, '-b', branch, '-q']));
}

const head = async (sluice: Sluice, ref = 'main'): Promise<string> =>
  ok(await sluice(['--json', 'log', '-n', '1', ref])).json.commits[0].id;

const SCHEMA = (test: string): string =>
  `version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - ${test}\n`;

const PROJECT = {
  'sluice.yml': 'name: tiny\n',
  'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n',
  'models/orders.sql': "select id, amount from {{ ref('raw_orders') }}\n",
  'models/schema.yml': SCHEMA('not_null'),
};

beforeAll(async () => {
  await buildOnce();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('build events', () => {
  it('a build that lands, one that fails a test and one that cannot compile: one event each', async () => {
    const { dir, sluice } = await repository(PROJECT);

    const built = ok(await sluice(['--json', 'build']));
    expect(built.json.commit).toMatch(/^[0-9a-f]{64}$/);
    const [first] = await eventsOf(sluice);
    expect(first).toEqual({
      id: built.json.event,
      time: expect.any(String),
      type: 'build',
      outcome: 'success',
      actor: 'tester',
      branch: 'main',
      commit: built.json.commit,
      runId: built.json.run.id,
      command: 'build',
      models: { built: 2, reused: 0, failed: 0, skipped: 0 },
      tests: { pass: 1, warn: 0, fail: 0, error: 0, skipped: 0 },
      durationMs: expect.any(Number),
    });
    expect(await head(sluice)).toBe(built.json.commit);

    // A test that fails: exit 2, main stays, the event says why and where the outputs are.
    writeFileSync(join(dir, 'models/schema.yml'), SCHEMA('accepted_values: {values: [10]}'));
    const failed = ok(await sluice(['--json', 'build', '--full-refresh']), 2);
    const [, second] = await eventsOf(sluice);
    expect(second).toMatchObject({
      id: failed.json.event,
      type: 'build',
      outcome: 'failure',
      branch: 'main',
      runId: failed.json.run.id,
      tests: { pass: 0, fail: 1 },
    });
    expect(second).not.toHaveProperty('commit');
    expect(second?.reason).toMatch(/^the build failed: test accepted_values\(amount\) fail/);
    expect(second?.reason).toContain(`(outputs on ${failed.json.run.runBranch})`);
    expect(await head(sluice)).toBe(built.json.commit);

    // `sluice test` is a build event too, of command test (it writes nothing, so no run branch).
    const tested = ok(await sluice(['--json', 'test']), 2);
    const [, , third] = await eventsOf(sluice);
    expect(third).toMatchObject({
      type: 'build',
      command: 'test',
      outcome: 'failure',
      runId: tested.json.run.id,
    });
    expect(third?.reason).not.toContain('outputs on');

    // A project that cannot compile throws before anything is written: outcome error.
    writeFileSync(join(dir, 'models/broken.sql'), "select * from {{ ref('no_such_model') }}\n");
    const broken = ok(await sluice(['--json', 'build']), 1);
    expect(broken.json.error.code).toBe('ProjectError');
    const all = await eventsOf(sluice);
    expect(all).toHaveLength(4);
    expect(all[3]).toMatchObject({
      type: 'build',
      outcome: 'error',
      branch: 'main',
      command: 'build',
    });
    expect(all[3]?.reason).toContain('no_such_model');
    expect(all[3]).not.toHaveProperty('runId');
    // The human listing names them.
    const text = ok(await sluice(['events', '--type', 'build'])).stdout;
    expect(text).toMatch(
      /build\s+success\s+tester\s+main @ [0-9a-f]{12}: 2 built, 0 reused, 0 failed, 1 test\(s\) passed, 0 failed/,
    );
    expect(text).toMatch(/build\s+failure\s+tester\s+test main: 0 built/);
  });

  it("a build whose final merge throws (refused by a protected branch's gate) is an error event naming its run", async () => {
    const { sluice } = await repository({
      ...PROJECT,
      'sluice.yml': 'name: tiny\ngates:\n  - branch: main\n',
      // A check of the gate, not a test of the project: the build passes, the gate refuses.
      'checks/orders.yml': SCHEMA('between: {min: 15}'),
    });
    const r = ok(await sluice(['--json', 'build']), 2);
    expect(r.json.error.code).toBe('GateFailedError');
    const [e] = await eventsOf(sluice, 'build');
    expect(e).toMatchObject({
      type: 'build',
      outcome: 'error',
      branch: 'main',
      runId: expect.stringMatching(/.+/),
      models: { built: 2, failed: 0 },
    });
    expect(e?.reason).toContain('into main refused: 1 check(s) did not pass');
    expect(e?.reason).toContain(`(outputs on run/${e?.type === 'build' ? e.runId : ''})`);
  });
});

describe('check events', () => {
  it('a passing, a failing and an unusable check run: one event each, with the commit checked', async () => {
    const { dir, sluice } = await repository();
    await ingest(sluice, 'orders', 'id,amount\n1,10\n2,20');
    const at = await head(sluice);
    const project = (name: string, text: string): string => {
      const p = join(dir, name);
      mkdirSync(join(p, 'checks'), { recursive: true });
      writeFileSync(join(p, 'checks/orders.yml'), text);
      return p;
    };

    const pass = ok(
      await sluice(['--json', 'check', '--project', project('pass', SCHEMA('not_null'))]),
    );
    const fail = ok(
      await sluice(['--json', 'check', '--project', project('fail', SCHEMA('between: {min: 15}'))]),
      2,
    );
    // A spec naming a column the table does not have (found when run), and YAML that cannot be
    // read at all: both are check runs that could not run — exit 3, outcome error.
    const missing = project('missing', SCHEMA('not_null').replace('amount', 'nope'));
    const unknownColumn = ok(await sluice(['--json', 'check', '--project', missing]), 3);
    expect(unknownColumn.json.error.code).toBe('CheckSpecError');
    const unreadable = project('unreadable', 'version: 2\nmodels: [\n');
    ok(await sluice(['--json', 'check', '--project', unreadable]), 3);

    const events = await eventsOf(sluice, 'check');
    expect(events.map((e) => [e.id, e.outcome])).toEqual([
      [pass.json.event, 'success'],
      [fail.json.event, 'failure'],
      [3, 'error'],
      [4, 'error'],
    ]);
    expect(events[0]).toEqual({
      id: pass.json.event,
      time: expect.any(String),
      type: 'check',
      outcome: 'success',
      actor: 'tester',
      ref: 'main',
      commit: at,
      runId: pass.json.check.id,
      tables: ['orders'],
      summary: { pass: 1, warn: 0, fail: 0, error: 0 },
      durationMs: expect.any(Number),
    });
    expect(events[1]).toMatchObject({
      commit: at,
      runId: fail.json.check.id,
      summary: { pass: 0, warn: 0, fail: 1, error: 0 },
    });
    expect(events[2]).toMatchObject({ ref: 'main', commit: at, summary: { pass: 0, fail: 0 } });
    expect(events[2]?.reason).toContain('nope');
    expect(events[3]).toMatchObject({ ref: 'main', commit: at });
    expect(events[3]?.reason).toContain('unreadable');

    // An unknown ref names no commit: no event, only the error.
    ok(await sluice(['--json', 'check', '--project', join(dir, 'pass'), '--ref', 'nope']), 3);
    // --no-store keeps the results out of the history, not the run out of the log.
    const unstored = ok(
      await sluice(['--json', 'check', '--project', join(dir, 'pass'), '--no-store']),
    );
    const after = await eventsOf(sluice, 'check');
    expect(after).toHaveLength(5);
    expect(after[4]).toMatchObject({ id: unstored.json.event, outcome: 'success', commit: at });
    expect(after[4]).not.toHaveProperty('runId');
  });
});

describe('merge events', () => {
  it('a merge, an up-to-date one and a conflict', async () => {
    const { sluice } = await repository();
    await ingest(sluice, 'orders', 'id,amount\n1,10');
    ok(await sluice(['branch', 'create', 'feature', '-q']));
    await ingest(sluice, 'orders', 'id,amount\n2,20', 'feature');
    const feature = await head(sluice, 'feature');

    const merged = ok(await sluice(['--json', 'merge', 'feature']));
    expect(merged.json.merge.commit.id).toBe(feature);
    const again = ok(await sluice(['--json', 'merge', 'feature']));
    // The same file changed on both sides.
    await putFile(sluice, 'raw/x.csv', 'feature', 'feature');
    await putFile(sluice, 'raw/x.csv', 'main', 'main');
    const mainHead = await head(sluice);
    const conflict = ok(await sluice(['--json', 'merge', 'feature']), 2);
    expect(conflict.json.error.code).toBe('MergeConflictError');

    const events = await eventsOf(sluice);
    expect(events.map((e) => [e.type, e.outcome])).toEqual([
      ['merge', 'success'],
      ['merge', 'skipped'],
      ['merge', 'failure'],
    ]);
    expect(events[0]).toEqual({
      id: merged.json.event,
      time: expect.any(String),
      type: 'merge',
      outcome: 'success',
      actor: 'tester',
      source: 'feature',
      sourceCommit: feature,
      destination: 'main',
      commit: feature,
      fastForward: true,
      durationMs: expect.any(Number),
    });
    expect(events[1]).toMatchObject({
      id: again.json.event,
      commit: feature,
      reason: 'main already contains feature',
    });
    expect(events[2]).toMatchObject({
      source: 'feature',
      sourceCommit: await head(sluice, 'feature'),
      destination: 'main',
      conflicts: 1,
    });
    expect(events[2]).not.toHaveProperty('commit');
    expect(events[2]?.reason).toMatch(/1 conflicting path/);
    expect(await head(sluice)).toBe(mainHead);
  });

  it('a gate refuses a merge (failure, with the failing checks), then lets the fixed branch in', async () => {
    const { dir, sluice } = await repository({ 'checks/orders.yml': SCHEMA('between: {min: 0}') });
    await ingest(sluice, 'orders', 'id,amount\n1,10');
    writeFileSync(join(dir, 'sluice.yml'), 'gates:\n  - branch: main\n');
    const before = await head(sluice);
    ok(await sluice(['branch', 'create', 'fix', '-q']));
    await ingest(sluice, 'orders', 'id,amount\n2,-3', 'fix');
    const bad = await head(sluice, 'fix');

    const refused = ok(await sluice(['--json', 'merge', 'fix']), 2);
    expect(refused.json.error.code).toBe('GateFailedError');
    expect(await head(sluice)).toBe(before);
    await ingest(sluice, 'orders', 'id,amount\n2,3', 'fix');
    const landed = ok(await sluice(['--json', 'merge', 'fix']));
    // --force where the gate does not allow it: the merge could not run (outcome error).
    ok(await sluice(['--json', 'merge', 'fix', '--force']), 1);

    const events = await eventsOf(sluice, 'merge');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      type: 'merge',
      outcome: 'failure',
      source: 'fix',
      sourceCommit: bad,
      destination: 'main',
      failedChecks: ['between(amount)'],
    });
    expect(events[0]).not.toHaveProperty('commit');
    expect(events[0]?.reason).toMatch(/^merge of fix into main refused: 1 check\(s\) did not pass/);
    expect(events[1]).toMatchObject({
      id: landed.json.event,
      outcome: 'success',
      sourceCommit: await head(sluice, 'fix'),
      commit: landed.json.merge.commit.id,
      checks: { pass: 1, warn: 0, fail: 0, error: 0 },
    });
    expect(await head(sluice)).toBe(landed.json.merge.commit.id);
    expect(events[2]).toMatchObject({ outcome: 'error' });
    expect(events[2]?.reason).toContain('--force is not allowed on main');
    // The gate's own check run belongs to the merge: no separate check event.
    expect(await eventsOf(sluice, 'check')).toEqual([]);
  });
});

describe('the commands a workflow runs itself', () => {
  it('sluice load records its check, merge and load once (it calls the library, not the commands)', async () => {
    const { sluice } = await repository({
      'checks/orders.yml': SCHEMA('not_null'),
      'landing/b.csv': 'id,amount\n1,10\n',
      'sluice.yml':
        'gates:\n  - branch: main\ningestors:\n  - {name: feed, kind: files, path: landing/*.csv, table: orders}\n',
    });
    const r = ok(await sluice(['--json', 'load', 'feed']));
    expect(r.json.status).toBe('success');
    const events = await eventsOf(sluice);
    expect(events.map((e) => [e.type, e.outcome])).toEqual([
      ['check', 'success'],
      ['merge', 'success'],
      ['load', 'success'],
    ]);
  });
});

describe('an event that cannot be appended', () => {
  it('is a warning on stderr; the command keeps its output and its exit code', async () => {
    const { dir, sluice } = await repository();
    await ingest(sluice, 'orders', 'id,amount\n1,10');
    ok(await sluice(['branch', 'create', 'feature', '-q']));
    await ingest(sluice, 'orders', 'id,amount\n2,20', 'feature');
    const feature = await head(sluice, 'feature');
    const checks = join(dir, 'p');
    mkdirSync(join(checks, 'checks'), { recursive: true });
    writeFileSync(join(checks, 'checks/orders.yml'), SCHEMA('not_null'));

    // The metadata store refuses every new event (and nothing else).
    const db = new Database(join(dir, '.sluice', 'meta.db'));
    db.exec(
      "CREATE TRIGGER no_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'events are read-only here'); END",
    );
    db.close();

    const merged = ok(await sluice(['--json', 'merge', 'feature']));
    expect(merged.json.merge.commit.id).toBe(feature);
    expect(merged.json.event).toBeNull();
    expect(merged.stderr).toBe(
      'warning: the merge event was not recorded: events are read-only here\n',
    );
    expect(await head(sluice)).toBe(feature);
    // Under --quiet too: the log now misses a record.
    const checked = ok(await sluice(['-q', 'check', '--project', checks]));
    expect(checked.stderr).toContain('warning: the check event was not recorded');
    // A refused command keeps its own error and exit code as well.
    const conflict = ok(await sluice(['--json', 'merge', 'nope']), 3);
    expect(conflict.json.error.code).toBe('RefNotFoundError');
    expect(conflict.stderr).toContain('warning: the merge event was not recorded');

    const fix = new Database(join(dir, '.sluice', 'meta.db'));
    fix.exec('DROP TRIGGER no_events');
    fix.close();
    expect(await eventsOf(sluice)).toEqual([]);
  });
});

describe('sluice events --type', () => {
  it('accepts every event type', async () => {
    const { sluice } = await repository();
    const r = ok(await sluice(['--json', 'events', '--type', EVENT_TYPES.join(',')]));
    expect(r.json.events).toEqual([]);
  });
});
