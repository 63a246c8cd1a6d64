// ServerRunStore: run records that change only while live, newest first by id, and per-run logs
// numbered without gaps.
import { beforeEach, describe, expect, it } from 'vitest';
import { RefAlreadyExistsError } from '../../common/errors.js';
import type { MetaStore, ServerRunRecord } from '../meta-store.js';
import { type ConformanceFixture, R, T0 } from './support.js';

export function describeServerRunStore(fx: ConformanceFixture): void {
  describe('server runs', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    const at = (s: number) => new Date(T0.getTime() + s * 1000);
    const run = (id: string, extra: Partial<ServerRunRecord> = {}): ServerRunRecord => ({
      id,
      kind: 'check',
      status: 'queued',
      actor: 'ana',
      createdAt: T0,
      updatedAt: T0,
      request: '{"ref":"main"}',
      result: null,
      error: null,
      exitCode: null,
      ...extra,
    });

    it('creates, gets with every field, rejects a taken id and changes nothing', async () => {
      expect(await meta.getServerRun(R, 'r1')).toBeUndefined();
      await meta.createServerRun(R, run('r1'));
      expect(await meta.getServerRun(R, 'r1')).toEqual(run('r1'));
      const dup = meta.createServerRun(R, run('r1', { actor: 'bob' }));
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { name: 'r1', kind: 'run' } });
      expect((await meta.getServerRun(R, 'r1'))?.actor).toBe('ana');
      // Ids are per repository.
      expect(await meta.getServerRun('repo2', 'r1')).toBeUndefined();
    });

    it('updates a live run, then never again once it is finished', async () => {
      await meta.createServerRun(R, run('r1'));
      expect(await meta.updateServerRun(R, 'r1', { status: 'running', updatedAt: at(1) })).toBe(
        true,
      );
      expect(await meta.updateServerRun(R, 'r1', { updatedAt: at(2) })).toBe(true);
      expect(await meta.getServerRun(R, 'r1')).toEqual(
        run('r1', { status: 'running', updatedAt: at(2) }),
      );
      const done = {
        status: 'failed' as const,
        updatedAt: at(3),
        result: '{"x":1}',
        error: '{"error":{"code":"E"}}',
        exitCode: 2,
      };
      expect(await meta.updateServerRun(R, 'r1', done)).toBe(true);
      expect(await meta.updateServerRun(R, 'r1', { status: 'succeeded', updatedAt: at(4) })).toBe(
        false,
      );
      expect(await meta.getServerRun(R, 'r1')).toEqual(run('r1', done));
      expect(await meta.updateServerRun(R, 'nope', { updatedAt: at(5) })).toBe(false);
      await meta.createServerRun(R, run('r2', { status: 'running' }));
      expect(await meta.updateServerRun(R, 'r2', { status: 'lost', updatedAt: at(5) })).toBe(true);
      expect(await meta.updateServerRun(R, 'r2', { status: 'running', updatedAt: at(6) })).toBe(
        false,
      );
    });

    it('lists newest first, by kind, before an id, with a limit', async () => {
      const ids = ['20260101000000001-a', '20260101000000003-c', '20260101000000002-b'];
      await meta.createServerRun(R, run(ids[0] as string, { kind: 'build' }));
      await meta.createServerRun(R, run(ids[1] as string, { kind: 'check' }));
      await meta.createServerRun(R, run(ids[2] as string, { kind: 'build' }));
      await meta.createServerRun('repo2', run('20260101000000009-z'));
      const listed = async (opts?: { kind?: string; before?: string; limit?: number }) =>
        (await meta.listServerRuns(R, opts)).map((r) => r.id);
      expect(await listed()).toEqual([...ids].sort().reverse());
      expect(await listed({ kind: 'build' })).toEqual([ids[2], ids[0]]);
      expect(await listed({ limit: 1 })).toEqual([ids[1]]);
      expect(await listed({ before: ids[1] as string, limit: 5 })).toEqual([ids[2], ids[0]]);
      expect(await listed({ kind: 'load' })).toEqual([]);
    });

    it('appends log lines numbered 1, 2, 3 … per run, read after a seq', async () => {
      await meta.createServerRun(R, run('r1'));
      await meta.createServerRun(R, run('r2'));
      expect(await meta.appendServerRunLog(R, 'r1', [])).toBe(0);
      expect(
        await meta.appendServerRunLog(R, 'r1', [
          { time: at(1), line: 'one' },
          { time: at(2), line: 'two' },
        ]),
      ).toBe(2);
      expect(await meta.appendServerRunLog(R, 'r2', [{ time: at(1), line: 'other' }])).toBe(1);
      expect(await meta.appendServerRunLog(R, 'r1', [{ time: at(3), line: 'three ✓' }])).toBe(3);
      expect(await meta.listServerRunLog(R, 'r1')).toEqual([
        { seq: 1, time: at(1), line: 'one' },
        { seq: 2, time: at(2), line: 'two' },
        { seq: 3, time: at(3), line: 'three ✓' },
      ]);
      expect(
        (await meta.listServerRunLog(R, 'r1', { after: 1, limit: 1 })).map((l) => l.line),
      ).toEqual(['two']);
      expect(await meta.listServerRunLog(R, 'r1', { after: 3 })).toEqual([]);
      expect(await meta.listServerRunLog(R, 'r2')).toHaveLength(1);
    });

    it('concurrent appends to one run lose and duplicate no seq', async () => {
      await meta.createServerRun(R, run('r1'));
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          meta.appendServerRunLog(R, 'r1', [
            { time: at(i), line: `a${i}` },
            { time: at(i), line: `b${i}` },
          ]),
        ),
      );
      const log = await meta.listServerRunLog(R, 'r1');
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      // Each append's lines are consecutive.
      for (let i = 0; i < 16; i += 2) {
        expect(log[i + 1]?.line.slice(1)).toBe(log[i]?.line.slice(1));
      }
    });

    it('deleteRepository removes its runs and their logs', async () => {
      await meta.createServerRun(R, run('r1'));
      await meta.appendServerRunLog(R, 'r1', [{ time: T0, line: 'x' }]);
      await meta.createRepository({
        name: 'repo2',
        storageUri: 's',
        defaultBranch: 'main',
        createdAt: T0,
      });
      await meta.createServerRun('repo2', run('r1'));
      await meta.deleteRepository(R);
      expect(await meta.getServerRun(R, 'r1')).toBeUndefined();
      expect(await meta.listServerRunLog(R, 'r1')).toEqual([]);
      expect(await meta.getServerRun('repo2', 'r1')).toBeDefined();
    });
  });
}
