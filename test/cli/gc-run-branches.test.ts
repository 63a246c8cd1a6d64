// A build killed mid-run leaves its run branch `run/<id>` behind; `sluice gc` removes it once the
// run is older than the retention period and its lease has gone stale — and never while the
// build still runs, whatever the retention.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, ROOT } from '../support/build-once.js';
import { cliFor, tempDir } from '../support/cli.js';

const root = tempDir('sluice-cli-gc-runs-');
const dir = join(root, 'slow');
const sluice = cliFor(dir);
let build: ChildProcess | undefined;

beforeAll(async () => {
  await buildOnce();
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'sluice.yml'), 'name: slow\n');
  // Minutes of work on one thread: the build is surely running while the test looks at it.
  writeFileSync(
    join(dir, 'models', 'slow.sql'),
    "{{ config(materialized='table') }}\nselect sum(i) as s from range(1000000000000) t(i)\n",
  );
  expect((await sluice(['init', dir, '-q'])).code).toBe(0);
});
afterAll(() => {
  build?.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

async function runBranches(): Promise<string[]> {
  const r = await sluice(['--json', 'branch', 'list']);
  expect(r.code, r.stderr).toBe(0);
  return (r.json.branches as { name: string }[])
    .map((b) => b.name)
    .filter((n) => n.startsWith('run/'));
}

describe('gc and the run branches of killed builds', () => {
  it('keeps a running build’s branch, and removes a killed one’s after the retention period', async () => {
    build = spawn(process.execPath, [join(ROOT, 'bin', 'sluice.js'), 'build', '--threads', '1'], {
      cwd: dir,
      env: { ...process.env, SLUICE_USER: 'tester' },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => build?.once('exit', resolve));
    let branches: string[] = [];
    for (let i = 0; i < 120 && branches.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      branches = await runBranches();
    }
    expect(branches).toHaveLength(1);
    const branch = branches[0] as string;
    const runId = branch.slice('run/'.length);

    // Running: not removed, even with no retention at all.
    const live = await sluice(['--json', 'gc', '--retention-days', '0', '--grace-seconds', '0']);
    expect(live.code, live.stderr).toBe(0);
    expect(live.json.runBranches.removed).toEqual([]);
    expect(await runBranches()).toEqual([branch]);

    build.kill('SIGKILL');
    await exited;
    build = undefined;

    // Killed a moment ago: its lease is still fresh, so gc cannot tell it from a running build.
    const fresh = await sluice(['--json', 'gc', '--retention-days', '0', '--grace-seconds', '0']);
    expect(fresh.json.runBranches.removed).toEqual([]);
    // Its lease last written 20 minutes ago: the build is dead.
    const lease = join(dir, '.sluice', 'objects', 'leases', 'builds', runId);
    expect(existsSync(lease)).toBe(true);
    const then = new Date(Date.now() - 20 * 60_000);
    utimesSync(lease, then, then);
    // Within the retention period (default 7 days) it stays.
    const kept = await sluice(['--json', 'gc']);
    expect(kept.json.runBranches.removed).toEqual([]);
    expect(await runBranches()).toEqual([branch]);
    // After it: a dry run says so, then gc removes the branch and its lease.
    const dry = await sluice(['--json', 'gc', '--retention-days', '0', '--dry-run']);
    expect(dry.json.runBranches.removed.map((r: { branch: string }) => r.branch)).toEqual([branch]);
    expect(await runBranches()).toEqual([branch]);
    const gc = await sluice(['gc', '--retention-days', '0', '--grace-seconds', '0']);
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toContain(`removed 1 run branch(es) of killed builds: ${branch}`);
    expect(await runBranches()).toEqual([]);
    expect(existsSync(lease)).toBe(false);
    const fsck = await sluice(['fsck']);
    expect(fsck.code, fsck.stdout).toBe(0);
  });
});
