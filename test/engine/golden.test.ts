// Golden vectors: the exact bytes and ids of blobs, tree nodes and commits. Ids are hashes of these
// bytes and are stored everywhere, so any change to an encoding (field order, separators, tags,
// number formats, chunk boundaries) must fail here first — and come with a new format version.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBlob, tag } from '../../src/common/hash.js';
import type { CommitId, NodeId, ObjectAddress, RepoPath } from '../../src/common/ids.js';
import { keyHash } from '../../src/core/chunker.js';
import { commitIdOf, decodeCommit, encodeCommit } from '../../src/core/commit-codec.js';
import type { TreeEntry } from '../../src/core/entry.js';
import { decodeNode, EMPTY_TREE_ID, encodeNode, nodeIdOf } from '../../src/core/node-codec.js';
import { NodeStore } from '../../src/core/node-store.js';
import { Repository } from '../../src/core/repository.js';
import { buildTree } from '../../src/core/tree-builder.js';
import type { MetaStore } from '../../src/meta/meta-store.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { collect, enc, makeTempDir, removeDir } from './support.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

const BLOB = 'hello, sluice\n';
const BLOB_ADDRESS = '39024ad035213b4f15ce0e1a7cceec98c69ceb43b1a07bfabdd9f810bae3315d';
const BLOB_CHECKSUM = 'bccc9fa9f9f8f5db3ac187bddfe4ed31cc3a99f40781a338e9d291a3d7fe962f';
const JSON_ADDRESS = '883adacf414543f8b3e33fef0e6213a99eb663e1d0b21fd50ae88b21561e58a9';
const JSON_CHECKSUM = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';

const ENTRY_A: TreeEntry = {
  path: 'data/a.csv' as RepoPath,
  address: BLOB_ADDRESS as ObjectAddress,
  size: 14,
  checksum: BLOB_CHECKSUM,
  contentType: 'text/csv',
  metadata: {},
};
const ENTRY_B: TreeEntry = {
  path: 'data/b.json' as RepoPath,
  address: JSON_ADDRESS as ObjectAddress,
  size: 2,
  checksum: JSON_CHECKSUM,
  contentType: 'application/json',
  metadata: { 'x-b': '1', owner: 'team-a' }, // keys out of order on purpose: encoding sorts them
};
const PACKED_ENTRY: TreeEntry = {
  ...ENTRY_A,
  path: 'data/c.csv' as RepoPath,
  physical: `pack:${'ab'.repeat(32)}:15`,
};

const LEAF_ID = 'a4cb067ced5d579d6b5ddd963e1924fd5eb8d9423109328ce0856eff06ab6a75';
const LEAF_BYTES =
  'sluice:range:v1\n' +
  `["data/a.csv","${BLOB_ADDRESS}",14,"${BLOB_CHECKSUM}","text/csv",{}]\n` +
  `["data/b.json","${JSON_ADDRESS}",2,"${JSON_CHECKSUM}","application/json",{"owner":"team-a","x-b":"1"}]\n`;
const PACKED_LEAF_ID = '721d7f65bec489e0150982118556f1ce1ec3a25675acfd415124841b70fbc3d8';
const PACKED_LEAF_BYTES =
  'sluice:range:v1\n' +
  `["data/c.csv","${BLOB_ADDRESS}",14,"${BLOB_CHECKSUM}","text/csv",{},"pack:${'ab'.repeat(32)}:15"]\n`;
const INDEX_ID = 'c5c7f16a31b21a1821551f032818a7c62ffa5a02c1eebb56213643ad0a3a3d9c';
const INDEX_BYTES = `sluice:index:v1\n1\n["data/b.json","${LEAF_ID}",2]\n["data/c.csv","${PACKED_LEAF_ID}",1]\n`;
const COMMIT_ID = 'b04ed4a88c931d90c822370494ac933f1b01d28b3023d5acbb4f4b673256b466';
const COMMIT_BYTES =
  'sluice:commit:v1\n' +
  '{"committer":"ada@example.com","createdAt":1704164645678,"generation":42,' +
  '"message":"Merge feature into main\\n\\nwith ünïcode","metadata":{"a":"b","sluice.merge.source":"feature"},' +
  `"parents":["${'1'.repeat(64)}","${'2'.repeat(64)}"],"tree":"${INDEX_ID}"}`;

describe('golden vectors', () => {
  it('the empty tree', () => {
    expect(EMPTY_TREE_ID).toBe('8ba33786444a96ac9db44dcd603eae2086b0c0d8ecca2cb6b8476a291291c4be');
    expect(text(encodeNode({ kind: 'leaf', entries: [] }))).toBe('sluice:range:v1\n');
    expect(EMPTY_TREE_ID).toBe(sha256('sluice:range:v1\n'));
  });

  it('a blob: tagged address and plain checksum', () => {
    expect(hashBlob(enc(BLOB))).toEqual({
      address: BLOB_ADDRESS,
      checksum: BLOB_CHECKSUM,
      size: 14,
    });
    expect(BLOB_ADDRESS).toBe(sha256(`sluice:blob:v1\n${BLOB}`));
    expect(BLOB_CHECKSUM).toBe(sha256(BLOB)); // what `sha256sum` prints
    expect(hashBlob(enc('{}'))).toEqual({
      address: JSON_ADDRESS,
      checksum: JSON_CHECKSUM,
      size: 2,
    });
  });

  it('a leaf (range) with two entries', () => {
    const bytes = encodeNode({ kind: 'leaf', entries: [ENTRY_A, ENTRY_B] });
    expect(text(bytes)).toBe(LEAF_BYTES);
    expect(nodeIdOf(bytes)).toBe(LEAF_ID);
    expect(sha256(LEAF_BYTES)).toBe(LEAF_ID);
    expect(decodeNode(bytes, LEAF_ID)).toEqual({ kind: 'leaf', entries: [ENTRY_A, ENTRY_B] });
  });

  it('a leaf entry stored in a pack', () => {
    const bytes = encodeNode({ kind: 'leaf', entries: [PACKED_ENTRY] });
    expect(text(bytes)).toBe(PACKED_LEAF_BYTES);
    expect(nodeIdOf(bytes)).toBe(PACKED_LEAF_ID);
    expect(decodeNode(bytes, PACKED_LEAF_ID)).toEqual({ kind: 'leaf', entries: [PACKED_ENTRY] });
    expect(tag('pack')).toBe('sluice:pack:v1\n');
  });

  it('an index node', () => {
    const children = [
      { id: LEAF_ID as NodeId, height: 0, maxKey: 'data/b.json', count: 2 },
      { id: PACKED_LEAF_ID as NodeId, height: 0, maxKey: 'data/c.csv', count: 1 },
    ];
    const bytes = encodeNode({ kind: 'index', height: 1, children });
    expect(text(bytes)).toBe(INDEX_BYTES);
    expect(nodeIdOf(bytes)).toBe(INDEX_ID);
    expect(decodeNode(bytes, INDEX_ID)).toEqual({ kind: 'index', height: 1, children });
  });

  it('an index node with packed children: the location trailer is outside the id', () => {
    const pack = 'cd'.repeat(32);
    const children = [
      { id: LEAF_ID as NodeId, height: 0, maxKey: 'data/b.json', count: 2 },
      {
        id: PACKED_LEAF_ID as NodeId,
        height: 0,
        maxKey: 'data/c.csv',
        count: 1,
        at: { pack, offset: 15, length: 229 },
      },
    ];
    const bytes = encodeNode({ kind: 'index', height: 1, children });
    expect(text(bytes)).toBe(`${INDEX_BYTES}#at\n[["${pack}"],[null,[0,15,229]]]\n`);
    expect(nodeIdOf(bytes)).toBe(INDEX_ID);
    expect(decodeNode(bytes, INDEX_ID)).toEqual({ kind: 'index', height: 1, children });
  });

  it('a commit (fixed date, message, parents, metadata)', () => {
    const content = {
      tree: INDEX_ID as NodeId,
      parents: ['1'.repeat(64) as CommitId, '2'.repeat(64) as CommitId],
      message: 'Merge feature into main\n\nwith ünïcode',
      committer: 'ada@example.com',
      createdAt: new Date('2024-01-02T03:04:05.678Z'),
      metadata: { 'sluice.merge.source': 'feature', a: 'b' },
      generation: 42,
    };
    const bytes = encodeCommit(content);
    expect(text(bytes)).toBe(COMMIT_BYTES);
    expect(commitIdOf(bytes)).toBe(COMMIT_ID);
    expect(decodeCommit(bytes, COMMIT_ID)).toEqual({ ...content, id: COMMIT_ID });
  });

  it('chunk boundaries: key hashes and the root of a 2,000-entry tree', async () => {
    expect([
      keyHash('', 0),
      keyHash('data/a.csv', 0),
      keyHash('data/a.csv', 1),
      keyHash('ü/😀', 2),
    ]).toEqual([2388540327, 56263992, 4217743393, 2034134776]);
    const store = new MemoryStore();
    const entries = Array.from({ length: 2000 }, (_, i): TreeEntry => {
      const b = hashBlob(enc(String(i)));
      return {
        path: `t/${String(i).padStart(5, '0')}.parquet` as RepoPath,
        address: b.address as ObjectAddress,
        size: b.size,
        checksum: b.checksum,
        contentType: 'application/vnd.apache.parquet',
        metadata: {},
      };
    });
    const nodes = new NodeStore(store);
    const built = await buildTree(nodes, entries);
    expect(built).toEqual({
      root: '9c86376ff7ccdac12a75ccb68c456d6e38805da3f060c0ca03db101148c79520',
      count: 2000,
    });
    // 113 nodes: the root loose under its id, the other 112 in one node pack.
    expect(nodes.stats.written).toBe(113);
    expect((await collect(store.list('ranges/'))).map((o) => o.key)).toEqual([
      `ranges/9c/${built.root}`,
    ]);
    expect(await collect(store.list('packs/'))).toHaveLength(1);
  });
});

describe('altered stored bytes are detected on read', () => {
  let dir: string;
  let meta: MetaStore;
  let store: MemoryStore;
  let repo: Repository;
  beforeEach(async () => {
    dir = makeTempDir('golden');
    meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    store = new MemoryStore();
    repo = await Repository.init(meta, store, { name: 'g', committer: 'test' });
    await repo.putObject('main', 'data/a.csv', enc(BLOB));
    await repo.commit('main', { message: 'golden' });
  });
  afterEach(async () => {
    await repo.close();
    removeDir(dir);
  });

  /** Another instance on the same stores (nothing cached from before the damage). */
  const fresh = () => Repository.open(meta, store, 'g');

  it('a tree node whose bytes changed', async () => {
    const head = await repo.getCommit('main');
    const key = `ranges/${head.tree.slice(0, 2)}/${head.tree}`;
    const bytes = text(await store.get(key));
    expect(bytes).toContain('"data/a.csv"');
    // Still well-formed, but says something else: the hash no longer matches.
    await store.put(key, enc(bytes.replace('text/csv', 'text/tsv')));
    const r = await fresh();
    await expect(r.getObject('main', 'data/a.csv')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
      data: { key, expected: head.tree },
    });
    await expect(collect(r.list('main'))).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    expect((await r.fsck()).problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'node', id: head.tree }),
    ]);
  });

  it('a commit whose bytes changed', async () => {
    const head = await repo.getCommit('main');
    // Commits live in the MetaStore: alter the row behind its back, keeping it decodable.
    const db = new BetterSqlite3(join(dir, 'meta.db'));
    try {
      const row = db
        .prepare('select data from commits where repo = ? and id = ?')
        .get('g', head.id) as { data: Buffer };
      const altered = text(row.data).replace('"message":"golden"', '"message":"GOLDEN"');
      expect(altered).not.toBe(text(row.data));
      db.prepare('update commits set data = ? where repo = ? and id = ?').run(
        Buffer.from(altered),
        'g',
        head.id,
      );
    } finally {
      db.close();
    }
    const r = await fresh();
    await expect(r.getCommit('main')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
      data: { expected: head.id },
    });
    await expect(collect(r.log('main'))).rejects.toMatchObject({ code: 'ObjectCorruptedError' });
    await expect(r.getObject('main', 'data/a.csv')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
    });
    expect((await r.fsck()).problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'commit', id: head.id }),
    ]);
  });

  it('a data object whose bytes changed', async () => {
    const key = `data/${BLOB_ADDRESS.slice(0, 2)}/${BLOB_ADDRESS}`;
    await store.put(key, enc(BLOB.toUpperCase()));
    const r = await fresh();
    await expect(r.getObject('main', 'data/a.csv')).rejects.toMatchObject({
      code: 'ObjectCorruptedError',
      data: { expected: BLOB_ADDRESS },
    });
    expect((await r.fsck()).problems).toEqual([
      expect.objectContaining({ code: 'ObjectCorruptedError', kind: 'object', id: BLOB_ADDRESS }),
    ]);
  });
});
