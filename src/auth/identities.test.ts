import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaStore } from '../meta/meta-store.js';
import { openSqliteMetaStore } from '../meta/sqlite-meta-store.js';
import { authorize } from './authorize.js';
import { Identities } from './identities.js';
import { ServerKey } from './server-key.js';

describe('Identities', () => {
  let dir: string;
  let meta: MetaStore;
  let ids: Identities;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-identities-'));
    meta = await openSqliteMetaStore(join(dir, 'meta.db'));
    ids = new Identities(meta, ServerKey.generate());
  });
  afterEach(async () => {
    await meta.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps once: built-ins, the admin in Admins, a working key', async () => {
    const first = await ids.bootstrap();
    expect(first.user).toBe('admin');
    expect(first.accessKeyId).toMatch(/^SLK[A-Z2-7]{17}$/);
    expect(first.secretAccessKey).toHaveLength(40);
    expect(await ids.authenticateKey(first.accessKeyId, first.secretAccessKey)).toBe('admin');
    expect((await ids.listGroups()).map((g) => [g.name, g.builtin, g.members])).toEqual([
      ['Admins', true, ['admin']],
      ['Deployers', true, []],
      ['Developers', true, []],
      ['Ingestors', true, []],
      ['Viewers', true, []],
    ]);
    await expect(ids.bootstrap({ user: 'other' })).rejects.toMatchObject({
      code: 'AlreadyBootstrappedError',
      data: { admins: ['admin'] },
    });
    expect((await ids.listUsers()).map((u) => u.name)).toEqual(['admin']);
    // The secret is stored sealed, never as given.
    const [stored] = await meta.listAccessKeys('admin');
    expect(stored?.sealedSecret).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(first.secretAccessKey);
  });

  it('authenticates keys: one error for an unknown key, a wrong secret and a revoked key', async () => {
    await ids.bootstrap();
    await ids.createUser('bot', { groups: ['Ingestors'] });
    const k = await ids.createAccessKey('bot');
    expect(await ids.authenticateKey(k.accessKeyId, k.secretAccessKey)).toBe('bot');
    expect(await ids.secretOf(k.accessKeyId)).toEqual({
      user: 'bot',
      secretAccessKey: k.secretAccessKey,
    });
    expect(await ids.secretOf('SLKNOPE')).toBeUndefined();
    const failures = [
      ids.authenticateKey(k.accessKeyId, `${k.secretAccessKey.slice(0, -1)}x`),
      ids.authenticateKey('SLKAAAAAAAAAAAAAAAAA', k.secretAccessKey),
      ids.authenticateKey(k.accessKeyId, ''),
    ];
    const errors = await Promise.all(
      failures.map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    for (const e of errors) {
      expect(e).toMatchObject({ code: 'UnauthenticatedError', message: 'invalid credentials' });
    }
    expect((await ids.listAccessKeys('bot')).map((x) => Object.keys(x).sort())).toEqual([
      ['accessKeyId', 'createdAt', 'user'],
    ]);
    await ids.revokeAccessKey(k.accessKeyId);
    await expect(ids.authenticateKey(k.accessKeyId, k.secretAccessKey)).rejects.toMatchObject({
      message: 'invalid credentials',
    });
    await expect(ids.revokeAccessKey(k.accessKeyId)).rejects.toMatchObject({
      code: 'AccessKeyNotFoundError',
    });
  });

  it('a key sealed under another server key does not open', async () => {
    await ids.bootstrap();
    const k = await ids.createAccessKey('admin');
    const other = new Identities(meta, ServerKey.generate());
    await expect(other.authenticateKey(k.accessKeyId, k.secretAccessKey)).rejects.toMatchObject({
      code: 'SealedSecretError',
    });
  });

  it('subjectOf gathers the policies of the user and of its groups, and authorize uses them', async () => {
    await ids.bootstrap();
    await ids.createGroup('sales-team');
    await ids.putPolicy('sales-writer', {
      statements: [{ effect: 'allow', action: ['branch:Write'], resource: ['sales/main'] }],
    });
    await ids.putPolicy('no-delete', {
      statements: [{ effect: 'deny', action: ['branch:Delete'], resource: ['*'] }],
    });
    await ids.attachPolicy('sales-writer', { kind: 'group', name: 'sales-team' });
    await ids.createUser('ana', { groups: ['Viewers', 'sales-team'] });
    await ids.attachPolicy('no-delete', { kind: 'user', name: 'ana' });
    const subject = await ids.subjectOf('ana');
    expect(subject.groups).toEqual(['Viewers', 'sales-team']);
    expect(subject.policies.map((p) => p.name).sort()).toEqual([
      'Viewers',
      'no-delete',
      'sales-writer',
    ]);
    const may = (action: 'repo:Read' | 'branch:Write' | 'branch:Delete', branch: string) =>
      authorize(subject, action, { repository: 'sales', branch }).allowed;
    expect(may('repo:Read', 'main')).toBe(true);
    expect(may('branch:Write', 'main')).toBe(true);
    expect(may('branch:Write', 'dev')).toBe(false);
    expect(may('branch:Delete', 'main')).toBe(false);
    await ids.removeMember('sales-team', 'ana');
    expect(
      authorize(await ids.subjectOf('ana'), 'branch:Write', { repository: 'sales', branch: 'main' })
        .allowed,
    ).toBe(false);
  });

  it('built-ins cannot be deleted or changed; the last admin stays', async () => {
    await ids.bootstrap();
    await expect(ids.deleteGroup('Developers')).rejects.toMatchObject({
      code: 'BuiltinIdentityError',
    });
    await expect(ids.deletePolicy('Admins')).rejects.toMatchObject({
      code: 'BuiltinIdentityError',
    });
    await expect(
      ids.putPolicy('Viewers', {
        statements: [{ effect: 'allow', action: ['*'], resource: ['*'] }],
      }),
    ).rejects.toMatchObject({ code: 'BuiltinIdentityError' });
    await expect(
      ids.detachPolicy('Viewers', { kind: 'group', name: 'Viewers' }),
    ).rejects.toMatchObject({ code: 'BuiltinIdentityError' });
    await expect(ids.deleteUser('admin')).rejects.toMatchObject({ code: 'LastAdminError' });
    await expect(ids.removeMember('Admins', 'admin')).rejects.toMatchObject({
      code: 'LastAdminError',
    });
    await ids.createUser('root2', { groups: ['Admins'] });
    await ids.deleteUser('admin');
    expect((await ids.listUsers()).map((u) => u.name)).toEqual(['root2']);
  });

  it('validates names, groups and policy documents before changing anything', async () => {
    await ids.bootstrap();
    await expect(ids.createUser('a b')).rejects.toMatchObject({ code: 'InvalidNameError' });
    await expect(ids.createUser('x'.repeat(65))).rejects.toMatchObject({
      code: 'InvalidNameError',
    });
    await expect(ids.createUser('ana', { groups: ['nope'] })).rejects.toMatchObject({
      code: 'GroupNotFoundError',
    });
    expect((await ids.listUsers()).map((u) => u.name)).toEqual(['admin']);
    await ids.createUser('ana@example.com');
    await expect(ids.createUser('ana@example.com')).rejects.toMatchObject({
      code: 'RefAlreadyExistsError',
      data: { kind: 'user' },
    });
    await expect(
      ids.putPolicy('p', {
        statements: [{ effect: 'allow', action: ['repo:Fly'], resource: ['*'] }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidArgumentError' });
    await expect(ids.putPolicy('p', '{not json')).rejects.toMatchObject({
      code: 'InvalidArgumentError',
    });
    expect((await ids.listPolicies()).some((p) => p.name === 'p')).toBe(false);
  });

  it('passwords (argon2id) and sessions for a user who still exists', async () => {
    await ids.bootstrap();
    await ids.createUser('ana', { password: 'correct horse' });
    expect(await ids.authenticatePassword('ana', 'correct horse')).toBe('ana');
    for (const [u, p] of [
      ['ana', 'wrong horse'],
      ['admin', 'correct horse'],
      ['nobody', 'x'],
    ]) {
      await expect(ids.authenticatePassword(u as string, p as string)).rejects.toMatchObject({
        message: 'invalid credentials',
      });
    }
    expect((await meta.getUser('ana'))?.passwordHash).toMatch(/^\$argon2id\$/);
    const token = await ids.issueSession('ana');
    expect(await ids.verifySession(token)).toBe('ana');
    await ids.deleteUser('ana');
    await expect(ids.verifySession(token)).rejects.toMatchObject({ code: 'UnauthenticatedError' });
  });
});
