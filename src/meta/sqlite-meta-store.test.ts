import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../common/errors.js';
import { describeMetaStoreConformance } from './meta-store.conformance.js';
import { openMetaStore } from './open-meta.js';
import { openSqliteMetaStore } from './sqlite-meta-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-meta-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeMetaStoreConformance('sqlite', async () => {
  const meta = await openSqliteMetaStore(join(tempDir(), 'meta.db'));
  return { meta, cleanup: () => meta.close() };
});

const T0 = new Date(0);
const value = { address: 'a', size: 1, checksum: 'c', contentType: 'x', metadata: {} };

/** Runs `body` (ESM, top-level await) in a fresh Node process with `meta` opened on `file`. */
function inChild(
  file: string,
  body: string,
): Promise<{ code: number | null; out: string; err: string }> {
  const storeUrl = pathToFileURL(join(import.meta.dirname, 'sqlite-meta-store.ts')).href;
  const code = `
    const { openSqliteMetaStore } = await import(${JSON.stringify(storeUrl)});
    const meta = await openSqliteMetaStore(${JSON.stringify(file)});
    try { ${body} } finally { await meta.close(); }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, out, err }));
  });
}

describe('SQLite MetaStore across processes', () => {
  it('migrates a fresh file from several processes at once', async () => {
    const file = join(tempDir(), 'meta.db');
    const runs = await Promise.all(
      [1, 2, 3].map(() => inChild(file, 'await meta.listRepositories();')),
    );
    for (const r of runs) expect(r, r.err).toMatchObject({ code: 0 });
  });

  it('concurrent stage() and sealing updateBranch() from several processes lose nothing', async () => {
    const file = join(tempDir(), 'meta.db');
    const setup = await openSqliteMetaStore(file);
    await setup.createRepository({
      name: 'r',
      storageUri: 's',
      defaultBranch: 'main',
      createdAt: T0,
    });
    await setup.createBranch('r', {
      name: 'main',
      head: 'c0',
      stagingToken: 't0',
      sealedTokens: [],
      createdAt: T0,
    });
    await setup.close();

    const rounds = 40;
    const body = (id: number) => `
      let seals = 0;
      for (let r = 0; r < ${rounds}; r++) {
        const changes = Array.from({ length: 50 }, (_, i) => ({ path: 'w${id}/' + r + '/' + i, value: ${JSON.stringify(value)} }));
        await meta.stage('r', 'main', changes);
        if (r % 3 === 0) {
          for (;;) {
            const b = await meta.getBranch('r', 'main');
            const next = { stagingToken: 'w${id}-' + r, sealedTokens: [b.stagingToken, ...b.sealedTokens] };
            if (await meta.updateBranch('r', 'main', b.version, next)) { seals++; break; }
          }
        }
      }
      console.log(JSON.stringify({ seals }));`;
    const runs = await Promise.all([1, 2, 3].map((id) => inChild(file, body(id))));
    let seals = 0;
    for (const r of runs) {
      expect(r, r.err).toMatchObject({ code: 0, err: '' });
      seals += (JSON.parse(r.out) as { seals: number }).seals;
    }

    const meta = await openSqliteMetaStore(file);
    try {
      const b = await meta.getBranch('r', 'main');
      expect(b?.version).toBe(1 + seals);
      expect(b?.sealedTokens).toHaveLength(seals);
      const tokens = await meta.listStagingTokens('r');
      let rows = 0;
      for await (const _ of meta.listStaged('r', tokens)) rows++;
      expect(rows).toBe(3 * rounds * 50);
    } finally {
      await meta.close();
    }
  });

  it('stores opened twice in one process share the connection', async () => {
    const file = join(tempDir(), 'meta.db');
    const [a, b] = await Promise.all([openSqliteMetaStore(file), openSqliteMetaStore(file)]);
    await a.createRepository({ name: 'r', storageUri: 's', defaultBranch: 'main', createdAt: T0 });
    await a.createBranch('r', {
      name: 'main',
      head: 'c0',
      stagingToken: 't0',
      sealedTokens: [],
      createdAt: T0,
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).stage('r', 'main', [{ path: `p${i}`, value }]),
      ),
    );
    await a.close();
    await a.close(); // closing twice releases once
    let n = 0;
    for await (const _ of b.listStaged('r', ['t0'])) n++;
    expect(n).toBe(10);
    await b.close();
  });
});

describe('SQLite MetaStore in memory', () => {
  it('gives each :memory: open its own database', async () => {
    const [a, b] = await Promise.all([
      openSqliteMetaStore(':memory:'),
      openSqliteMetaStore(':memory:'),
    ]);
    await a.createRepository({ name: 'r', storageUri: 's', defaultBranch: 'main', createdAt: T0 });
    expect(await b.listRepositories()).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('openMetaStore', () => {
  it('opens sqlite:<file> and bare sqlite in the repository directory', async () => {
    const dir = tempDir();
    const bare = await openMetaStore('sqlite', dir);
    expect(bare.dialect).toBe('sqlite');
    await bare.close();
    expect(existsSync(join(dir, 'meta.db'))).toBe(true);
    const explicit = await openMetaStore(`sqlite:${join(dir, 'other.db')}`);
    await explicit.close();
    expect(existsSync(join(dir, 'other.db'))).toBe(true);
  });

  it('rejects unknown specs', async () => {
    await expect(openMetaStore('mysql://x')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(openMetaStore('sqlite')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(openMetaStore('sqlite:')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
