// A scheduled build (`schedule: builds:`) runs on the lifecycle: its `build` event as `sluice build`
// records it, and — nobody watching — an alert when a node fails (`build.failed`) or the build
// cannot run at all (`build.error`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository, openRepository } from '../../src/api/open-repository.js';
import type { Repository } from '../../src/core/repository.js';
import { ingest } from '../../src/tables/ingest.js';
import { loadWorkflowConfig } from '../../src/workflow/config/index.js';
import { listEvents, type StoredEvent } from '../../src/workflow/events/index.js';
import { runScheduledBuild } from '../../src/workflow/scheduled-build.js';

// A loopback sink that records every alert posted to it.
let server: Server;
let base: string;
const alerts: { type: string; title: string; text: string; refs: Record<string, string> }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/alerts') alerts.push(JSON.parse(body));
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
let repo: Repository;
const opts = { backoffMs: 1 };

/** A project repository with `models` and one scheduled build of `main`. */
async function setup(models: Record<string, string>): Promise<void> {
  writeFileSync(
    join(dir, 'sluice.yml'),
    `name: nightly
schedule:
  builds: [{cron: "0 * * * *"}]
alerts:
  - {name: ops, kind: webhook, url: "${base}/alerts", retries: 0}
`,
  );
  mkdirSync(join(dir, 'models'));
  for (const [name, sql] of Object.entries(models))
    writeFileSync(join(dir, 'models', `${name}.sql`), sql);
  await (await initRepository(dir, { committer: 'test' })).close();
  repo = await openRepository(dir);
}
async function buildEvents(): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of listEvents(repo, { types: ['build'] })) out.push(e);
  return out;
}
const entry = () => {
  const [b] = loadWorkflowConfig(dir).schedule.builds;
  if (!b) throw new Error('no scheduled build');
  return b;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sched-build-'));
  alerts.length = 0;
});
afterEach(async () => {
  await repo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runScheduledBuild', () => {
  it('a build that succeeds: its build event, no alert', async () => {
    await setup({ one: 'select 1 as one\n' });
    const r = await runScheduledBuild(repo, dir, loadWorkflowConfig(dir), entry(), opts);
    expect(r.branch).toBe('main');
    expect(r.outcome.run.status).toBe('success');
    expect(r.alert).toBeUndefined();
    expect(await buildEvents()).toMatchObject([
      {
        type: 'build',
        outcome: 'success',
        branch: 'main',
        command: 'build',
        runId: r.outcome.run.id,
        models: { built: 1, failed: 0 },
      },
    ]);
    expect(r.event.id).toBe((await buildEvents())[0]?.id);
    expect(alerts).toEqual([]);
  });

  it('a node that fails: a failure event and a build.failed alert', async () => {
    await setup({ one: 'select 1 as one\n', broken: 'select * from no_such_table\n' });
    const r = await runScheduledBuild(repo, dir, loadWorkflowConfig(dir), entry(), opts);
    expect(r.outcome.run.status).toBe('error');
    const [ev] = await buildEvents();
    expect(ev).toMatchObject({
      outcome: 'failure',
      branch: 'main',
      runId: r.outcome.run.id,
      reason: expect.stringMatching(/^the build failed: model broken error \(outputs on run\//),
    });
    expect(r.alert?.ok).toBe(true);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'build.failed',
      title: 'scheduled build on main failed',
      text: `${ev?.reason}. main was not changed.`,
      refs: { branch: 'main', runId: r.outcome.run.id },
    });
  });

  it('a build that cannot run: an error event and a build.error alert, the error thrown on', async () => {
    await setup({ one: 'select 1 as one\n' });
    // Uncommitted changes on the branch: buildProject refuses to build on it.
    const csv = join(dir, 'in.csv');
    writeFileSync(csv, 'id\n1\n');
    await ingest(repo, csv, { table: 'stray', branch: 'main' });
    await expect(
      runScheduledBuild(repo, dir, loadWorkflowConfig(dir), entry(), opts),
    ).rejects.toThrow(/uncommitted change/);
    const [ev] = await buildEvents();
    expect(ev).toMatchObject({
      outcome: 'error',
      branch: 'main',
      command: 'build',
      reason: expect.stringMatching(/uncommitted change/),
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'build.error',
      title: 'scheduled build on main could not run',
      text: ev?.reason,
      refs: { branch: 'main' },
    });
  });
});
