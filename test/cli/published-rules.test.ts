// Protection rules live in the repository (issue 14, item 1): a repository on PostgreSQL + S3,
// its rules pushed from one working directory; a second working directory with nothing but a
// copy of `.sluice/config.json` — no sluice.yml, no checks — is held to them: every direct write
// to the protected main is refused and nothing is staged, and a merge into main runs the
// published checks; a third directory whose own sluice.yml unprotects main is held to them too.
// A change of the rules is a `config` event with its actor, and the metadata
// that attests a forced gate cannot be given by hand.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, runCli, tempDir } from '../support/cli.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const root = tempDir('sluice-cli-rules-');
const first = join(root, 'first');
const second = join(root, 'second');
const third = join(root, 'third');
let pg: PgCluster;
let s3: S3TestServer;
let n = 0;
const csv = (text: string): string => {
  const p = join(root, `in-${n++}.csv`);
  writeFileSync(p, `${text}\n`);
  return p;
};

/** The CLI in one working directory, on the shared stores, as `actor`. */
const inDir =
  (dir: string, actor = 'tester') =>
  (args: string[]): Promise<CliResult> =>
    runCli(args, {
      cwd: dir,
      env: {
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AWS_REGION: s3.region,
        SLUICE_ACTOR: actor,
      },
    });

beforeAll(async () => {
  [pg, s3] = await Promise.all([startPgCluster(), startS3Server(), buildOnce()]).then(
    ([p, s]) => [p, s] as const,
  );
  const init = await runCli(
    [
      'init',
      first,
      '--meta',
      pg.url,
      '--storage',
      `s3://${s3.bucket}/lake`,
      '--s3-endpoint',
      s3.endpoint,
      '--name',
      'lake',
    ],
    {
      env: {
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AWS_REGION: s3.region,
      },
    },
  );
  expect(init.code, init.stderr).toBe(0);
  const alice = inDir(first, 'alice');
  const base = await alice(['ingest', csv('id,amount\n1,10'), '--table', 'orders', '-m', 'base']);
  expect(base.code, base.stderr).toBe(0);
  mkdirSync(join(first, 'checks'));
  writeFileSync(
    join(first, 'checks', 'orders.yml'),
    'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: amount\n        tests:\n          - between: {min: 0}\n',
  );
  writeFileSync(join(first, 'sluice.yml'), 'name: shop\ngates:\n  - branch: main\n');
  // The second working directory: only the repository's address.
  mkdirSync(join(second, '.sluice'), { recursive: true });
  cpSync(join(first, '.sluice', 'config.json'), join(second, '.sluice', 'config.json'));
  // A third, whose own sluice.yml says main is not protected and may be forced.
  mkdirSync(join(third, '.sluice'), { recursive: true });
  cpSync(join(first, '.sluice', 'config.json'), join(third, '.sluice', 'config.json'));
  writeFileSync(
    join(third, 'sluice.yml'),
    'gates:\n  - branch: main\n    protected: false\n    allow_force: true\n',
  );
}, 180_000);
afterAll(async () => {
  await Promise.all([pg?.stop(), s3?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

describe('rules published on a PostgreSQL + S3 repository', () => {
  it('hold in a second working directory without sluice.yml; changing them is an event with its actor', async () => {
    const alice = inDir(first, 'alice');
    const bob = inDir(second, 'bob');
    const pushed = await alice(['--json', 'config', 'push']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.json.config).toMatchObject({
      branch: 'main',
      changed: true,
      files: [
        { path: 'checks/orders.yml', change: 'added' },
        { path: 'sluice.yml', change: 'added' },
      ],
      gates: { added: ['main'], changed: [], removed: [] },
    });
    const head = pushed.json.config.commit.id as string;

    // Bob's directory has no rules of its own, and still cannot write main.
    const refused: [string, string[]][] = [
      ['put', ['put', csv('x'), 'raw/x.csv']],
      ['rm', ['rm', 'tables/orders', '-r']],
      ['commit', ['commit', '-m', 'direct', '--allow-empty']],
      ['ingest', ['ingest', csv('id,amount\n2,-1'), '--table', 'orders', '-m', 'direct']],
      ['branch reset', ['branch', 'reset', 'main', '--to', 'main~1']],
      ['revert', ['revert', 'main']],
    ];
    for (const [what, args] of refused) {
      const r = await bob(['--json', ...args]);
      expect({ what, code: r.code, error: r.json?.error?.code }).toEqual({
        what,
        code: 2,
        error: 'ProtectedBranchError',
      });
    }
    expect((await bob(['--json', 'status'])).json.changes).toEqual([]);
    expect((await bob(['--json', 'log', '-n', '1'])).json.commits[0].id).toBe(head);

    // A merge into main runs the published checks, which bob's directory does not have.
    expect((await bob(['branch', 'create', 'fix', '-q'])).code).toBe(0);
    const bad = await bob([
      'ingest',
      csv('id,amount\n2,-3'),
      '--table',
      'orders',
      '-b',
      'fix',
      '-m',
      'bad',
    ]);
    expect(bad.code, bad.stderr).toBe(0);
    const merge = await bob(['merge', 'fix']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('FAIL  orders: between(amount)');
    expect((await bob(['--json', 'log', '-n', '1'])).json.commits[0].id).toBe(head);

    // Nor can it be forced, nor the attestation written by hand.
    const forced = await bob(['--json', 'merge', 'fix', '--force']);
    expect(forced.json.error.code).toBe('InvalidArgumentError');
    const meta = await bob([
      '--json',
      'commit',
      '-b',
      'fix',
      '-m',
      'x',
      '--allow-empty',
      '--meta',
      'sluice.gate.forced=true',
    ]);
    expect({ code: meta.code, error: meta.json.error.code }).toEqual({
      code: 1,
      error: 'ReservedMetadataError',
    });

    // What the repository enforces, seen from bob's directory.
    const show = await bob(['--json', 'config', 'show']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json.config.published).toMatchObject({
      commit: { id: head, actor: 'alice' },
      files: ['checks/orders.yml', 'sluice.yml'],
      gates: [{ branch: 'main', protected: true }],
      checks: [{ id: 'orders.amount.between' }],
    });

    // The change of the rules is in the log, with its actor.
    const events = await bob(['--json', 'events', '--type', 'config']);
    expect(events.json.events).toEqual([
      expect.objectContaining({
        type: 'config',
        outcome: 'success',
        actor: 'alice',
        branch: 'main',
        commit: head,
        gates: { added: ['main'], changed: [], removed: [] },
      }),
    ]);
    // A directory whose own sluice.yml unprotects main changes nothing: its weaker fields are
    // ignored, and config show says so.
    const carol = inDir(third, 'carol');
    const put = await carol(['--json', 'put', csv('y'), 'raw/y.csv']);
    expect({ code: put.code, error: put.json?.error?.code }).toEqual({
      code: 2,
      error: 'ProtectedBranchError',
    });
    const carolForce = await carol(['--json', 'merge', 'fix', '--force']);
    expect(carolForce.json.error.code).toBe('InvalidArgumentError');
    expect((await carol(['--json', 'log', '-n', '1'])).json.commits[0].id).toBe(head);
    const carolShow = await carol(['--json', 'config', 'show']);
    expect(carolShow.json.config.local.weakenings).toEqual([
      expect.objectContaining({ branch: 'main', field: 'protected', holds: 'true' }),
      expect.objectContaining({ branch: 'main', field: 'allow_force', holds: 'false' }),
    ]);

    // Pushed again unchanged: nothing is written, not even an event.
    const again = await alice(['--json', 'config', 'push']);
    expect(again.json.config).toMatchObject({ changed: false, commit: null });
    expect(again.json.event).toBeNull();
    expect((await bob(['--json', 'events', '--type', 'config'])).json.events).toHaveLength(1);

    // Changing a rule is a push too: recorded with its actor, and what every client reads next.
    const changed = await carol(['--json', 'config', 'push']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json.config.gates).toEqual({ added: [], changed: ['main'], removed: [] });
    const log = (await bob(['--json', 'events', '--type', 'config'])).json.events;
    expect(log.map((e: { actor: string; gates: unknown }) => [e.actor, e.gates])).toEqual([
      ['alice', { added: ['main'], changed: [], removed: [] }],
      ['carol', { added: [], changed: ['main'], removed: [] }],
    ]);
    const now = await bob(['--json', 'config', 'show']);
    expect(now.json.config.published).toMatchObject({
      commit: { id: changed.json.config.commit.id, actor: 'carol' },
      gates: [{ branch: 'main', protected: false, allow_force: true }],
    });
  }, 240_000);
});
