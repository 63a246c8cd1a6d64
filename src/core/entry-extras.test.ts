// The optional entry fields the S3 gateway and `sluice import` record (ETag, checksums, external
// location) survive the node codec (the staging table: meta conformance), and leave the bytes of entries without
// them exactly as they were (old trees keep their ids).
import { describe, expect, it } from 'vitest';
import type { ObjectAddress, RepoPath } from '../common/ids.js';
import type { TreeEntry } from './entry.js';
import { decodeNode, encodeNode } from './node-codec.js';

const base: TreeEntry = {
  path: 'a/b.csv' as RepoPath,
  address: 'a'.repeat(64) as ObjectAddress,
  size: 3,
  checksum: 'b'.repeat(64),
  contentType: 'text/csv',
  metadata: {},
};

describe('entry extras', () => {
  it('an entry without extras encodes as before (no trailing fields)', () => {
    const text = Buffer.from(encodeNode({ kind: 'leaf', entries: [base] })).toString();
    expect(text.endsWith(`"text/csv",{}]\n`)).toBe(true);
  });

  it('ETag, checksums and an external location round-trip through the codec, with or without physical', () => {
    const withExtras: TreeEntry = {
      ...base,
      etag: '0cc175b9c0f1b6a831c399e269772661-2',
      checksums: { crc32: 'AAAAAA==' },
      external: { uri: 's3://lake/x.csv', etag: 'abc' },
      mtime: 1764800000000,
    };
    const packed: TreeEntry = {
      ...base,
      path: 'c' as RepoPath,
      physical: `pack:${'c'.repeat(64)}:9`,
      etag: 'e',
    };
    const node = decodeNode(encodeNode({ kind: 'leaf', entries: [withExtras, packed] }), 'n');
    expect(node).toEqual({ kind: 'leaf', entries: [withExtras, packed] });
  });
});
