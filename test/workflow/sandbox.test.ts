// Sandboxes on a real (embedded) repository: created in O(1) from a branch, a tag or any ref;
// writes on a sandbox change only it; listing with age, expiry and state at an injected `now`;
// expiry; names refused; duplicates refused with nothing created; a branch deleted by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initRepository } from '../../src/api/open-repository.js';
import {
  AliasTargetError,
  InvalidArgumentError,
  InvalidNameError,
  NotFoundError,
  RefAlreadyExistsError,
  SandboxNotFoundError,
} from '../../src/common/errors.js';
import type { Repository } from '../../src/core/repository.js';
import {
  createSandbox,
  deleteSandbox,
  expireSandboxes,
  getSandbox,
  listSandboxes,
  validateSandboxName,
} from '../../src/workflow/sandbox.js';

const DAY = 86_400_000;
const T0 = new Date('2025-01-01T09:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

let dir: string;
let repo: Repository;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sandbox-'));
  repo = await initRepository(join(dir, 'repo'), { committer: 'test' });
  await repo.putObject('main', 'tables/orders/part-0.csv', new TextEncoder().encode('id\n1\n'));
  await repo.commit('main', { message: 'orders' });
});
afterEach(async () => {
  await repo.close();
  rmSync(dir, { recursive: true, force: true });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const objectCount = async (): Promise<number> => (await collect(repo.store.list(''))).length;
const branchNames = async (): Promise<string[]> =>
  (await collect(repo.listBranches())).map((b) => b.name);
const paths = async (ref: string): Promise<string[]> =>
  (await collect(repo.list(ref))).map((i) => (i.type === 'object' ? i.entry.path : i.path)).sort();

describe('createSandbox', () => {
  it('branches sandbox/NAME from the default branch in O(1): no object written', async () => {
    const main = await repo.getBranch('main');
    const before = await objectCount();
    expect(before).toBeGreaterThan(0);
    const s = await createSandbox(repo, 'feat-x', { owner: 'ana', ttlMs: 7 * DAY, now: T0 });
    expect(await objectCount()).toBe(before);
    expect(s).toEqual({
      name: 'feat-x',
      branch: 'sandbox/feat-x',
      createdAt: T0,
      expiresAt: at(7 * DAY),
      owner: 'ana',
      fromRef: 'main',
      fromCommit: main.head,
      private: false,
    });
    expect((await repo.getBranch('sandbox/feat-x')).head).toBe(main.head);
    expect(await repo.meta.getSandbox(repo.name, 'feat-x')).toEqual(s);
    expect(await paths('sandbox/feat-x')).toEqual(['tables/orders/part-0.csv']);
  });

  it('starts from a tag or any ref expression, recording the ref and its commit', async () => {
    const v1 = (await repo.getBranch('main')).head;
    await repo.createTag('v1', 'main');
    await repo.putObject('main', 'tables/orders/part-1.csv', new TextEncoder().encode('id\n2\n'));
    await repo.commit('main', { message: 'more orders' });
    const before = await objectCount();
    const fromTag = await createSandbox(repo, 'at-v1', { from: 'v1' });
    const fromParent = await createSandbox(repo, 'parent', { from: 'main~1' });
    expect(await objectCount()).toBe(before);
    expect(fromTag).toMatchObject({ fromRef: 'v1', fromCommit: v1, expiresAt: null });
    expect(fromParent).toMatchObject({ fromRef: 'main~1', fromCommit: v1 });
    expect(await paths('sandbox/at-v1')).toEqual(['tables/orders/part-0.csv']);
    expect(fromTag.owner).toBeTruthy(); // the default actor
  });

  it('writes on the sandbox change only the sandbox', async () => {
    await createSandbox(repo, 'feat-x');
    const mainHead = (await repo.getBranch('main')).head;
    await repo.putObject(
      'sandbox/feat-x',
      'tables/orders/part-9.csv',
      new TextEncoder().encode('id\n9\n'),
    );
    expect((await getSandbox(repo, 'feat-x')).uncommitted).toBe(true);
    await repo.deleteObjects('sandbox/feat-x', ['tables/orders/part-0.csv']);
    await repo.commit('sandbox/feat-x', { message: 'model output' });
    expect((await getSandbox(repo, 'feat-x')).uncommitted).toBe(false);
    expect(await paths('sandbox/feat-x')).toEqual(['tables/orders/part-9.csv']);
    expect((await repo.getBranch('main')).head).toBe(mainHead);
    expect(await paths('main')).toEqual(['tables/orders/part-0.csv']);
    expect(await collect(repo.status('main'))).toEqual([]);
  });

  it('refuses an invalid name, creating nothing', async () => {
    for (const bad of [
      '',
      'a/b',
      'has space',
      '-x',
      '.x',
      'x.',
      'a..b',
      'x.lock',
      'ü',
      'x'.repeat(101),
    ]) {
      const err = await createSandbox(repo, bad).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(InvalidNameError);
      expect(err).toMatchObject({ code: 'InvalidNameError', data: { name: bad, kind: 'sandbox' } });
    }
    expect(validateSandboxName('feat_x-2.1')).toBe('feat_x-2.1');
    await expect(createSandbox(repo, 'ok', { ttlMs: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(createSandbox(repo, 'ok', { ttlMs: -5 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(await branchNames()).toEqual(['main']);
    expect(await listSandboxes(repo)).toEqual([]);
  });

  it('refuses a duplicate sandbox, a branch taken by hand and an unknown ref, changing nothing', async () => {
    const first = await createSandbox(repo, 'feat-x', { owner: 'ana' });
    const dup = await createSandbox(repo, 'feat-x', { owner: 'bob' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(RefAlreadyExistsError);
    expect(dup).toMatchObject({ data: { name: 'feat-x', kind: 'sandbox' } });
    expect(await repo.meta.getSandbox(repo.name, 'feat-x')).toEqual(first);

    await repo.createBranch('sandbox/by-hand');
    const taken = await createSandbox(repo, 'by-hand').catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(RefAlreadyExistsError);
    expect(await repo.meta.getSandbox(repo.name, 'by-hand')).toBeUndefined();

    await expect(createSandbox(repo, 'lost', { from: 'nope' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await branchNames()).toEqual(['main', 'sandbox/by-hand', 'sandbox/feat-x']);
    expect((await listSandboxes(repo)).map((s) => s.name)).toEqual(['feat-x']);
  });

  it('removes the branch again when the record cannot be stored (no half state)', async () => {
    const spy = vi.spyOn(repo.meta, 'createSandbox').mockRejectedValueOnce(new Error('disk full'));
    await expect(createSandbox(repo, 'feat-x')).rejects.toThrow('disk full');
    spy.mockRestore();
    expect(await branchNames()).toEqual(['main']);
    expect(await repo.meta.getSandbox(repo.name, 'feat-x')).toBeUndefined();
    // …and the name is free again.
    expect((await createSandbox(repo, 'feat-x')).branch).toBe('sandbox/feat-x');
  });
});

describe('listSandboxes and expiry', () => {
  it('lists age, expiry, state, head and uncommitted changes at an injected now', async () => {
    const head = (await repo.getBranch('main')).head;
    await createSandbox(repo, 'week', { ttlMs: 7 * DAY, now: T0, owner: 'ana' });
    await createSandbox(repo, 'hour', { ttlMs: 3_600_000, now: at(DAY), owner: 'bob' });
    await createSandbox(repo, 'keep', { now: T0 });
    await repo.putObject('sandbox/keep', 'x.csv', new TextEncoder().encode('x\n'));

    const list = await listSandboxes(repo, { now: at(2 * DAY) });
    expect(list.map((s) => [s.name, s.state, s.expired, s.uncommitted])).toEqual([
      ['hour', 'expired', true, false],
      ['keep', 'active', false, true],
      ['week', 'active', false, false],
    ]);
    const [hour, keep, week] = list;
    expect(hour).toMatchObject({ ageMs: DAY, expiresInMs: 3_600_000 - DAY, head, owner: 'bob' });
    expect(keep).toMatchObject({ ageMs: 2 * DAY, expiresInMs: null, expiresAt: null });
    expect(week).toMatchObject({ ageMs: 2 * DAY, expiresInMs: 5 * DAY, head });
    // Exactly at the expiry time it has expired.
    expect((await getSandbox(repo, 'week', { now: at(7 * DAY) })).state).toBe('expired');
    expect((await getSandbox(repo, 'week', { now: at(7 * DAY - 1) })).state).toBe('active');
  });

  it('expireSandboxes removes the expired ones (branch and record), honours dryRun', async () => {
    await createSandbox(repo, 'week', { ttlMs: 7 * DAY, now: T0 });
    await createSandbox(repo, 'hour', { ttlMs: 3_600_000, now: T0 });
    await createSandbox(repo, 'keep', { now: T0 });
    await repo.putObject('sandbox/hour', 'wip.csv', new TextEncoder().encode('wip\n'));
    const now = at(DAY);

    const dry = await expireSandboxes(repo, { now, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, failed: [] });
    expect(dry.removed.map((s) => s.name)).toEqual(['hour']);
    expect((await listSandboxes(repo, { now })).length).toBe(3);
    expect(await branchNames()).toContain('sandbox/hour');

    const real = await expireSandboxes(repo, { now });
    expect(real.removed.map((s) => [s.name, s.state, s.uncommitted])).toEqual([
      ['hour', 'expired', true],
    ]);
    expect(await branchNames()).toEqual(['main', 'sandbox/keep', 'sandbox/week']);
    expect(await repo.meta.getSandbox(repo.name, 'hour')).toBeUndefined();
    expect(await repo.meta.listStagingTokens(repo.name)).toEqual([]); // its staging went too
    expect((await expireSandboxes(repo, { now })).removed).toEqual([]);
    expect((await expireSandboxes(repo, { now: at(30 * DAY) })).removed.map((s) => s.name)).toEqual(
      ['week'],
    );
  });

  it('keeps and reports an expired sandbox whose branch cannot be deleted, removes the rest', async () => {
    await createSandbox(repo, 'aliased', { ttlMs: 1, now: T0 });
    await createSandbox(repo, 'plain', { ttlMs: 1, now: T0 });
    await repo.setAlias('preview', 'sandbox/aliased');
    const report = await expireSandboxes(repo, { now: at(DAY) });
    expect(report.removed.map((s) => s.name)).toEqual(['plain']);
    expect(report.failed.map((f) => [f.sandbox.name, f.error.code])).toEqual([
      ['aliased', 'AliasTargetError'],
    ]);
    expect(report.failed[0]?.error).toBeInstanceOf(AliasTargetError);
    expect((await listSandboxes(repo)).map((s) => s.name)).toEqual(['aliased']);
    expect(await branchNames()).toContain('sandbox/aliased');
  });
});

describe('deleteSandbox', () => {
  it('deletes the branch (with its uncommitted changes) and the record', async () => {
    await createSandbox(repo, 'feat-x');
    await repo.putObject('sandbox/feat-x', 'wip.csv', new TextEncoder().encode('wip\n'));
    const res = await deleteSandbox(repo, 'feat-x');
    expect(res).toMatchObject({ branchDeleted: true, sandbox: { name: 'feat-x' } });
    expect(await branchNames()).toEqual(['main']);
    expect(await listSandboxes(repo)).toEqual([]);
    expect(await repo.meta.listStagingTokens(repo.name)).toEqual([]);
  });

  it('refuses an unknown sandbox with a stable NotFound code', async () => {
    const err = await deleteSandbox(repo, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxNotFoundError);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'SandboxNotFoundError', data: { sandbox: 'nope' } });
    await expect(getSandbox(repo, 'nope')).rejects.toBeInstanceOf(SandboxNotFoundError);
  });

  it('a branch deleted by hand: listed as missing; delete and expire clean the record', async () => {
    await createSandbox(repo, 'gone', { ttlMs: 7 * DAY, now: T0 });
    await createSandbox(repo, 'gone-too', { ttlMs: 7 * DAY, now: T0 });
    await repo.deleteBranch('sandbox/gone');
    await repo.deleteBranch('sandbox/gone-too');
    const list = await listSandboxes(repo, { now: at(DAY) });
    expect(list.map((s) => [s.name, s.state, s.head, s.uncommitted])).toEqual([
      ['gone', 'missing', null, false],
      ['gone-too', 'missing', null, false],
    ]);
    // The name stays taken until the record is cleaned.
    await expect(createSandbox(repo, 'gone')).rejects.toBeInstanceOf(RefAlreadyExistsError);

    expect(await deleteSandbox(repo, 'gone')).toMatchObject({ branchDeleted: false });
    const expired = await expireSandboxes(repo, { now: at(DAY) });
    expect(expired.removed.map((s) => [s.name, s.state])).toEqual([['gone-too', 'missing']]);
    expect(await listSandboxes(repo)).toEqual([]);
    expect((await createSandbox(repo, 'gone')).branch).toBe('sandbox/gone');
  });
});
