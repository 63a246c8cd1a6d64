// Units of the import: locations parsed, the repository's storage refused by path segments (not
// by string prefix), and external addresses apart from content addresses.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../common/errors.js';
import { hashBlob } from '../common/hash.js';
import type { RepoContext } from './context.js';
import { externalAddress, parseLakeLocation, refuseRepositoryStorage } from './import-op.js';

const ctxOn = (uri: string, kind: 'local' | 's3' | 'memory') =>
  ({ store: { uri, kind } }) as unknown as RepoContext<unknown>;

describe('import locations', () => {
  it('parses s3://, file:// and paths', () => {
    expect(parseLakeLocation('s3://bk/some/prefix/')).toMatchObject({
      kind: 's3',
      bucket: 'bk',
      prefix: 'some/prefix',
      uri: 's3://bk/some/prefix',
    });
    expect(parseLakeLocation('file:///data/lake')).toMatchObject({
      kind: 'local',
      dir: '/data/lake',
    });
    expect(parseLakeLocation('/data/lake/')).toMatchObject({
      dir: '/data/lake',
      uri: 'file:///data/lake',
    });
    expect(() => parseLakeLocation('gs://b/x')).toThrow(InvalidArgumentError);
  });

  it('refuses a location inside the storage or holding it, by whole segments', () => {
    const s3 = ctxOn('s3://bk/repo', 's3');
    for (const bad of ['s3://bk/repo', 's3://bk/repo/data', 's3://bk', 's3://bk/'])
      expect(() => refuseRepositoryStorage(s3, parseLakeLocation(bad), 'source')).toThrow(
        InvalidArgumentError,
      );
    for (const ok of ['s3://bk/repo2', 's3://bk/rep', 's3://other/repo', '/repo'])
      expect(() => refuseRepositoryStorage(s3, parseLakeLocation(ok), 'source')).not.toThrow();
    const local = ctxOn('/x/.sluice/objects', 'local');
    for (const bad of ['/x/.sluice/objects/data', '/x', '/'])
      expect(() => refuseRepositoryStorage(local, parseLakeLocation(bad), 'source')).toThrow(
        InvalidArgumentError,
      );
    for (const ok of ['/x/.sluice/objects2', '/y', 's3://bk/x/.sluice/objects'])
      expect(() => refuseRepositoryStorage(local, parseLakeLocation(ok), 'source')).not.toThrow();
    expect(() =>
      refuseRepositoryStorage(ctxOn('memory://', 'memory'), parseLakeLocation('/x'), 'source'),
    ).not.toThrow();
  });

  it('an external address names one object version and is never a content address', () => {
    const a = externalAddress('file:///x', 3, '100');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(externalAddress('file:///x', 3, '101')).not.toBe(a);
    expect(externalAddress('file:///y', 3, '100')).not.toBe(a);
    expect(hashBlob(Buffer.from('file:///x\u00003\u0000100')).address).not.toBe(a);
  });
});
