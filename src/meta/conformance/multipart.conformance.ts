// MultipartStore: uploads and their parts shared by every replica; a re-uploaded part number
// replaces the record (and hands back the old one), no part is recorded for a deleted upload, and
// deleting an upload takes its parts. Also StagingStore.stageIfAbsent, the conditional write the
// S3 gateway's If-None-Match and Complete use.
import { beforeEach, describe, expect, it } from 'vitest';
import { BranchNotFoundError, RefAlreadyExistsError } from '../../common/errors.js';
import type { MetaStore, MultipartUploadRecord, UploadPartRecord } from '../meta-store.js';
import { type ConformanceFixture, collect, R, T0, value } from './support.js';

export function describeMultipartStore(fx: ConformanceFixture): void {
  describe('multipart uploads', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const at = (s: number) => new Date(T0.getTime() + s * 1000);
    const upload = (id: string, extra: Partial<MultipartUploadRecord> = {}) => ({
      id,
      branch: 'main',
      path: 'a/b.csv',
      initiator: 'ana',
      createdAt: T0,
      metadata: {},
      ...extra,
    });
    const part = (n: number, extra: Partial<UploadPartRecord> = {}): UploadPartRecord => ({
      partNumber: n,
      size: 5 * 1024 * 1024 + n,
      md5: `md5-${n}`,
      checksums: {},
      key: `tmp/uploads/u1/${n}-x`,
      createdAt: T0,
      ...extra,
    });

    it('creates and gets with every field, refuses a taken id, scopes ids per repository', async () => {
      const full = upload('u1', {
        contentType: 'text/csv',
        metadata: { owner: 'ana' },
        checksumAlgorithm: 'crc32c',
      });
      await meta.createUpload(R, full);
      expect(await meta.getUpload(R, 'u1')).toEqual(full);
      await meta.createUpload(R, upload('u2'));
      expect(await meta.getUpload(R, 'u2')).toEqual(upload('u2'));
      const dup = meta.createUpload(R, upload('u1', { initiator: 'bob' }));
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      expect((await meta.getUpload(R, 'u1'))?.initiator).toBe('ana');
      expect(await meta.getUpload('repo2', 'u1')).toBeUndefined();
    });

    it('records parts in number order, replaces a re-upload and returns the replaced record', async () => {
      await meta.createUpload(R, upload('u1'));
      expect(await meta.putUploadPart(R, 'u1', part(3))).toBeUndefined();
      expect(await meta.putUploadPart(R, 'u1', part(1, { checksums: { crc32: 'AAAA' } }))).toBe(
        undefined,
      );
      const again = part(3, { md5: 'other', size: 7, key: 'tmp/uploads/u1/3-y', createdAt: at(1) });
      expect(await meta.putUploadPart(R, 'u1', again)).toEqual(part(3));
      expect(await meta.listUploadParts(R, 'u1')).toEqual([
        part(1, { checksums: { crc32: 'AAAA' } }),
        again,
      ]);
      expect(
        (await meta.listUploadParts(R, 'u1', { afterPart: 1 })).map((p) => p.partNumber),
      ).toEqual([3]);
      expect((await meta.listUploadParts(R, 'u1', { limit: 1 })).map((p) => p.partNumber)).toEqual([
        1,
      ]);
    });

    it('refuses a part for an unknown or deleted upload; delete takes the parts', async () => {
      expect(await meta.putUploadPart(R, 'nope', part(1))).toBe(false);
      await meta.createUpload(R, upload('u1'));
      await meta.putUploadPart(R, 'u1', part(1));
      expect(await meta.deleteUpload(R, 'u1')).toBe(true);
      expect(await meta.deleteUpload(R, 'u1')).toBe(false);
      expect(await meta.getUpload(R, 'u1')).toBeUndefined();
      expect(await meta.listUploadParts(R, 'u1')).toEqual([]);
      expect(await meta.putUploadPart(R, 'u1', part(2))).toBe(false);
      expect(await meta.listUploadParts(R, 'u1')).toEqual([]);
    });

    it('lists by branch, path prefix, marker and age, in (branch, path, time, id) order', async () => {
      await meta.createUpload(R, upload('z1', { path: 'a/x', createdAt: at(2) }));
      await meta.createUpload(R, upload('a1', { path: 'a/x', createdAt: at(3) }));
      await meta.createUpload(R, upload('m1', { path: 'a/x', createdAt: at(2) }));
      await meta.createUpload(R, upload('b1', { path: 'b/y', createdAt: at(1) }));
      await meta.createUpload(R, upload('d1', { branch: 'dev', path: 'a/x', createdAt: at(0) }));
      await meta.createUpload('repo2', upload('q1'));
      const ids = async (opts?: Parameters<MetaStore['listUploads']>[1]) =>
        (await meta.listUploads(R, opts)).map((u) => u.id);
      expect(await ids()).toEqual(['d1', 'm1', 'z1', 'a1', 'b1']);
      expect(await ids({ branch: 'main' })).toEqual(['m1', 'z1', 'a1', 'b1']);
      expect(await ids({ branch: 'main', prefix: 'b/' })).toEqual(['b1']);
      expect(await ids({ limit: 2 })).toEqual(['d1', 'm1']);
      expect(await ids({ marker: { branch: 'main', path: 'a/x' } })).toEqual(['b1']);
      expect(
        await ids({
          marker: { branch: 'main', path: 'a/x', after: { createdAt: at(2), id: 'm1' } },
        }),
      ).toEqual(['z1', 'a1', 'b1']);
      expect(await ids({ createdBefore: at(2) })).toEqual(['d1', 'b1']);
    });

    it('deleteRepository removes uploads and parts', async () => {
      await meta.createUpload(R, upload('u1'));
      await meta.putUploadPart(R, 'u1', part(1));
      await meta.deleteRepository(R);
      expect(await meta.getUpload(R, 'u1')).toBeUndefined();
      expect(await meta.listUploadParts(R, 'u1')).toEqual([]);
    });
  });

  describe('stageIfAbsent', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });
    const change = (path: string, address = 'x1') => ({ path, value: value(address) });
    const staged = async (token: string) =>
      (await collect(meta.listStaged(R, [token]))).map((c) => c.path);

    it('stages when the path is neither staged nor committed', async () => {
      await fx.branch('main', 't1');
      const r = await meta.stageIfAbsent(R, 'main', [change('a')], { head: 'c0', committed: [] });
      expect(r).toEqual({ staged: true });
      expect(await staged('t1')).toEqual(['a']);
    });

    it('refuses a staged or committed path and writes nothing', async () => {
      await fx.branch('main', 't1');
      await meta.stage(R, 'main', [change('a')]);
      const guard = { head: 'c0', committed: ['c'] };
      expect(await meta.stageIfAbsent(R, 'main', [change('b'), change('a', 'x2')], guard)).toEqual({
        staged: false,
        reason: 'exists',
        path: 'a',
      });
      expect(await meta.stageIfAbsent(R, 'main', [change('c')], guard)).toMatchObject({
        staged: false,
        path: 'c',
      });
      expect(await staged('t1')).toEqual(['a']);
      expect((await meta.getStaged(R, ['t1'], 'a'))?.value?.address).toBe('x1');
    });

    it('treats a staged tombstone as absent even when committed; a moved head writes nothing', async () => {
      await fx.branch('main', 't1');
      await meta.stage(R, 'main', [{ path: 'c', value: null }]);
      expect(
        await meta.stageIfAbsent(R, 'main', [change('c')], { head: 'c0', committed: ['c'] }),
      ).toEqual({ staged: true });
      expect(
        await meta.stageIfAbsent(R, 'main', [change('d')], { head: 'c9', committed: [] }),
      ).toEqual({ staged: false, reason: 'moved' });
      expect(await staged('t1')).toEqual(['c']);
      await expect(
        meta.stageIfAbsent(R, 'nope', [change('d')], { head: 'c0', committed: [] }),
      ).rejects.toBeInstanceOf(BranchNotFoundError);
    });

    it('of concurrent conditional writers of one path, exactly one stages', async () => {
      await fx.branch('main', 't1');
      const guard = { head: 'c0', committed: [] };
      const results = await Promise.all(
        ['x1', 'x2', 'x3', 'x4'].map((a) => meta.stageIfAbsent(R, 'main', [change('p', a)], guard)),
      );
      expect(results.filter((r) => r.staged)).toHaveLength(1);
    });
  });
}
