// The permission matrix through the API: each built-in group × each action class × a protected, an
// unprotected, an ingest and a private-sandbox branch → allowed (any answer but 403) or 403, from
// one table. A denied request changes nothing: the repository's branches, heads and staged
// changes are the same before and after it. The decision itself is pinned without a server in
// src/auth/authorize.test.ts; this is the same table seen through the routes' declared
// permissions and the facts they gather (protection from sluice.yml, private sandboxes).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gatesOf } from '../../src/quality/index.js';
import { createSandbox } from '../../src/workflow/index.js';
import { type ApiServer, startApiServer, testUsersAuthenticator } from '../support/api-server.js';

const GROUPS = ['Admins', 'Developers', 'Viewers', 'Ingestors', 'Deployers', 'none'] as const;
type Group = (typeof GROUPS)[number];
const USER: Record<Group, string> = {
  Admins: 'admin',
  Developers: 'dev',
  Viewers: 'viewer',
  Ingestors: 'ingestor',
  Deployers: 'deployer',
  none: 'nobody',
};

type Kind = 'protected' | 'unprotected' | 'ingest' | 'private' | 'repository';
/** Existing branches of each kind (the private sandbox belongs to `owner`, not to `dev`). */
const BRANCH: Record<Kind, string> = {
  protected: 'main',
  unprotected: 'dev',
  ingest: 'ingest/crm/1',
  private: 'sandbox/secret',
  repository: '',
};
/** New branch names of each kind, for create and delete (release/* is protected too). */
const FRESH: Record<Kind, (n: number) => string> = {
  protected: (n) => `release/${n}`,
  unprotected: (n) => `feat/${n}`,
  ingest: (n) => `ingest/crm/new-${n}`,
  private: (n) => `sandbox/secret-${n}`,
  repository: (n) => `unused-${n}`,
};

type ActionClass =
  | 'read'
  | 'create'
  | 'write'
  | 'commit'
  | 'merge'
  | 'delete'
  | 'tag'
  | 'sandbox'
  | 'check'
  | 'load'
  | 'promote'
  | 'deploy'
  | 'rollback';
const ALL: Group[] = ['Admins', 'Developers', 'Viewers', 'Ingestors', 'Deployers'];
/** Who may, by action class and branch kind (the table). Absent: not applicable. */
const TABLE: Record<ActionClass, Partial<Record<Kind, Group[]>>> = {
  read: {
    protected: ALL,
    unprotected: ALL,
    ingest: ALL,
    private: ['Admins'],
  },
  create: {
    protected: ['Admins', 'Developers'],
    unprotected: ['Admins', 'Developers'],
    ingest: ['Admins', 'Developers', 'Ingestors'],
  },
  write: {
    protected: ['Admins'],
    unprotected: ['Admins', 'Developers'],
    ingest: ['Admins', 'Developers', 'Ingestors'],
    private: ['Admins'],
  },
  commit: {
    protected: ['Admins'],
    unprotected: ['Admins', 'Developers'],
    ingest: ['Admins', 'Developers', 'Ingestors'],
    private: ['Admins'],
  },
  // The source is an ingest branch: ingestors may merge it anywhere (through the gates).
  merge: {
    protected: ['Admins', 'Ingestors'],
    unprotected: ['Admins', 'Developers', 'Ingestors'],
    ingest: ['Admins', 'Developers', 'Ingestors'],
    private: ['Admins'],
  },
  delete: {
    protected: ['Admins'],
    unprotected: ['Admins', 'Developers'],
    ingest: ['Admins', 'Developers', 'Ingestors'],
  },
  tag: { unprotected: ['Admins', 'Developers'] },
  // Repository-level actions: the long ones answer 202 (or their own refusal) when permitted.
  sandbox: { repository: ['Admins', 'Developers'] },
  check: { repository: ['Admins', 'Developers', 'Deployers'] },
  load: { repository: ['Admins', 'Ingestors'] },
  promote: { repository: ['Admins', 'Deployers'] },
  deploy: { repository: ['Admins', 'Deployers'] },
  rollback: { repository: ['Admins', 'Deployers'] },
};

describe('the permission matrix, through the API', () => {
  let s: ApiServer;
  let n = 0;

  beforeAll(async () => {
    s = await startApiServer({
      sluiceYml: 'gates:\n  - branch: main\n  - branch: "release/*"\n',
      authenticator: testUsersAuthenticator({
        admin: ['Admins'],
        dev: ['Developers'],
        viewer: ['Viewers'],
        ingestor: ['Ingestors'],
        deployer: ['Deployers'],
        nobody: [],
        owner: ['Developers'],
      }),
    });
    const repo = await s.host.get(s.repository);
    // main is protected: the seed reaches it by a merge through its gate, as anything would.
    await repo.createBranch('dev', { from: 'main' });
    await repo.putObject('dev', 'seed.txt', Buffer.from('seed'));
    await repo.commit('dev', { message: 'seed' });
    await gatesOf(repo)?.merge('dev', 'main');
    for (const b of ['ingest/crm/1', 'ingest/crm/src'])
      await repo.createBranch(b, { from: 'main' });
    await repo.putObject('ingest/crm/src', 'from-ingest.txt', Buffer.from('x'));
    await repo.commit('ingest/crm/src', { message: 'ingested' });
    await createSandbox(repo, 'secret', { private: true, owner: 'owner' });
  }, 60_000);
  afterAll(async () => s?.close());

  /** Branches with their heads and staged changes: what a denied request must leave alone. */
  async function snapshot(): Promise<string> {
    const repo = await s.host.get(s.repository);
    const out: string[] = [];
    for await (const b of repo.listBranches()) {
      out.push(`${b.name}@${b.head}`);
      for await (const c of repo.status(b.name)) out.push(`  ${c.type} ${c.path}`);
    }
    for await (const t of repo.listTags()) out.push(`tag ${t.name}@${t.commitId}`);
    return out.join('\n');
  }

  function request(cls: ActionClass, kind: Kind, user: string) {
    n += 1;
    const b = encodeURIComponent(BRANCH[kind]);
    switch (cls) {
      case 'read':
        return s.call(user, {
          method: 'GET',
          url: `${s.base}/refs/${b}/objects/stat?path=seed.txt`,
        });
      case 'create':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/branches`,
          payload: { name: FRESH[kind](n), source: 'dev' },
        });
      case 'write':
        return s.call(user, {
          method: 'PUT',
          url: `${s.base}/branches/${b}/objects?path=by-${user}-${n}.txt`,
          headers: { 'content-type': 'application/octet-stream' },
          payload: Buffer.from('x'),
        });
      case 'commit':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/branches/${b}/commits`,
          payload: { message: `by ${user}` },
        });
      case 'merge':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/refs/${encodeURIComponent('ingest/crm/src')}/merge/${b}`,
          payload: {},
        });
      case 'delete':
        return s.call(user, { method: 'DELETE', url: `${s.base}/branches/${b}` });
      case 'tag':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/tags`,
          payload: { name: `t-${user}-${n}`, ref: BRANCH[kind] },
        });
      case 'sandbox':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/sandboxes`,
          payload: { name: `s${n}` },
        });
      case 'check':
        return s.call(user, { method: 'POST', url: `${s.base}/checks`, payload: { ref: 'dev' } });
      case 'load':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/loads`,
          payload: { ingestor: 'crm' },
        });
      case 'promote':
      case 'deploy':
      case 'rollback':
        return s.call(user, {
          method: 'POST',
          url: `${s.base}/environments/production/${cls}`,
          payload: {},
        });
    }
  }

  /** A permitted long operation runs on: wait for its end, so it changes nothing later. */
  async function settle(res: { statusCode: number; json(): { runId?: string } }): Promise<void> {
    if (res.statusCode !== 202) return;
    const id = res.json().runId;
    for (let i = 0; i < 200; i++) {
      const run = await s.call('admin', { method: 'GET', url: `${s.base}/runs/${id}` });
      if (!['queued', 'running'].includes(run.json().status)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${id} did not finish`);
  }

  /** The branch a delete removes: a fresh one of its kind, made by the library first. */
  async function target(cls: ActionClass, kind: Kind): Promise<void> {
    if (cls !== 'delete') return;
    const name = FRESH[kind](++n);
    const repo = await s.host.get(s.repository);
    await repo.createBranch(name, { from: 'dev' });
    BRANCH[kind] = name;
  }

  for (const [cls, kinds] of Object.entries(TABLE) as [
    ActionClass,
    Partial<Record<Kind, Group[]>>,
  ][]) {
    for (const [kind, allowed] of Object.entries(kinds) as [Kind, Group[]][]) {
      test(`${cls} on a ${kind} branch`, async () => {
        const saved = BRANCH[kind];
        const verdicts: string[] = [];
        const expected: string[] = [];
        for (const group of GROUPS) {
          await target(cls, kind);
          const before = await snapshot();
          const res = await request(cls, kind, USER[group]);
          const may = allowed.includes(group);
          expected.push(`${group}: ${may ? 'allowed' : 'denied'}`);
          verdicts.push(`${group}: ${res.statusCode === 403 ? 'denied' : 'allowed'}`);
          expect(res.statusCode, `${group} ${cls} ${kind}: ${res.body}`).toBeLessThan(500);
          await settle(res);
          if (res.statusCode === 403) {
            expect(res.json().error.code).toBe('PermissionDeniedError');
            expect(await snapshot(), `${group}'s refused ${cls} changed nothing`).toBe(before);
          }
        }
        BRANCH[kind] = saved;
        expect(verdicts).toEqual(expected);
      });
    }
  }
});
