// IdentityStore: users, groups, memberships, policies, attachments and access keys — unique
// names, byte order, joining writes that need both ends, and deletes that take what hangs off
// the deleted record with them (in one transaction).
import { beforeEach, describe, expect, it } from 'vitest';
import {
  GroupNotFoundError,
  PolicyNotFoundError,
  RefAlreadyExistsError,
  UserNotFoundError,
} from '../../common/errors.js';
import type { AccessKeyRecord, MetaStore, PolicyRecord } from '../meta-store.js';
import { byteSort, type ConformanceFixture, T0 } from './support.js';

export function describeIdentityStore(fx: ConformanceFixture): void {
  describe('identities', () => {
    let meta: MetaStore;
    beforeEach(() => {
      meta = fx.meta;
    });

    const user = (name: string) => ({ name, createdAt: T0 });
    const key = (id: string, u: string): AccessKeyRecord => ({
      accessKeyId: id,
      user: u,
      createdAt: T0,
      sealedSecret: `v1:sealed-${id}`,
    });
    const policy = (name: string, document = '{"statements":[]}'): PolicyRecord => ({
      name,
      createdAt: T0,
      builtin: false,
      document,
    });

    it('creates users with every field, rejects a taken name, lists in byte order', async () => {
      expect(await meta.getUser('ana')).toBeUndefined();
      await meta.createUser({
        name: 'ana',
        createdAt: T0,
        passwordHash: '$argon2id$x',
        email: 'a@x',
      });
      await meta.createUser(user('bot'));
      expect(await meta.getUser('ana')).toEqual({
        name: 'ana',
        createdAt: T0,
        passwordHash: '$argon2id$x',
        email: 'a@x',
      });
      expect(await meta.getUser('bot')).toEqual(user('bot'));
      const dup = meta.createUser({ name: 'ana', createdAt: new Date(0) });
      await expect(dup).rejects.toBeInstanceOf(RefAlreadyExistsError);
      await expect(dup).rejects.toMatchObject({ data: { name: 'ana', kind: 'user' } });
      expect((await meta.getUser('ana'))?.createdAt).toEqual(T0);
      for (const n of ['B', 'a.b', 'a-b', 'a@b']) await meta.createUser(user(n));
      expect((await meta.listUsers()).map((u) => u.name)).toEqual(
        byteSort(['ana', 'bot', 'B', 'a.b', 'a-b', 'a@b']),
      );
    });

    it('sets and clears a password', async () => {
      await meta.createUser(user('ana'));
      expect(await meta.setPassword('ana', '$argon2id$h')).toBe(true);
      expect((await meta.getUser('ana'))?.passwordHash).toBe('$argon2id$h');
      expect(await meta.setPassword('ana', undefined)).toBe(true);
      expect(await meta.getUser('ana')).toEqual(user('ana'));
      expect(await meta.setPassword('nobody', 'h')).toBe(false);
    });

    it('creates groups (a built-in one once, silently), members need both ends', async () => {
      await meta.createGroup({ name: 'Admins', createdAt: T0, builtin: true });
      await meta.createGroup({ name: 'Admins', createdAt: new Date(0), builtin: true });
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      const dup = meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      await expect(dup).rejects.toMatchObject({ data: { name: 'team', kind: 'group' } });
      expect(await meta.getGroup('Admins')).toEqual({
        name: 'Admins',
        createdAt: T0,
        builtin: true,
      });
      expect(await meta.listGroups()).toEqual([
        { name: 'Admins', createdAt: T0, builtin: true },
        { name: 'team', createdAt: T0, builtin: false },
      ]);

      await meta.createUser(user('ana'));
      await meta.createUser(user('bob'));
      await meta.addMember('team', 'bob');
      await meta.addMember('team', 'ana');
      await meta.addMember('team', 'ana'); // idempotent
      await meta.addMember('Admins', 'ana');
      await expect(meta.addMember('team', 'cy')).rejects.toBeInstanceOf(UserNotFoundError);
      await expect(meta.addMember('nope', 'ana')).rejects.toBeInstanceOf(GroupNotFoundError);
      expect(await meta.membersOf('team')).toEqual(['ana', 'bob']);
      expect(await meta.groupsOf('ana')).toEqual(['Admins', 'team']);
      expect(await meta.removeMember('team', 'ana')).toBe(true);
      expect(await meta.removeMember('team', 'ana')).toBe(false);
      expect(await meta.groupsOf('ana')).toEqual(['Admins']);
    });

    it('puts, replaces, attaches and detaches policies', async () => {
      await meta.putPolicy(policy('read'));
      await meta.putPolicy(policy('read', '{"statements":[1]}'));
      await meta.putPolicy({ ...policy('Admins'), builtin: true });
      expect(await meta.getPolicy('read')).toEqual(policy('read', '{"statements":[1]}'));
      expect((await meta.listPolicies()).map((p) => p.name)).toEqual(['Admins', 'read']);
      await meta.createUser(user('ana'));
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      await meta.attachPolicy('read', { kind: 'user', name: 'ana' });
      await meta.attachPolicy('read', { kind: 'user', name: 'ana' }); // idempotent
      await meta.attachPolicy('Admins', { kind: 'group', name: 'team' });
      await meta.attachPolicy('read', { kind: 'group', name: 'team' });
      await expect(meta.attachPolicy('nope', { kind: 'user', name: 'ana' })).rejects.toBeInstanceOf(
        PolicyNotFoundError,
      );
      await expect(meta.attachPolicy('read', { kind: 'user', name: 'cy' })).rejects.toBeInstanceOf(
        UserNotFoundError,
      );
      await expect(
        meta.attachPolicy('read', { kind: 'group', name: 'nope' }),
      ).rejects.toBeInstanceOf(GroupNotFoundError);
      const names = async (kind: 'user' | 'group', name: string) =>
        (await meta.policiesOf({ kind, name })).map((p) => p.name);
      expect(await names('user', 'ana')).toEqual(['read']);
      expect(await names('group', 'team')).toEqual(['Admins', 'read']);
      // A user and a group of one name are different principals.
      expect(await names('group', 'ana')).toEqual([]);
      expect(await meta.detachPolicy('read', { kind: 'group', name: 'team' })).toBe(true);
      expect(await meta.detachPolicy('read', { kind: 'group', name: 'team' })).toBe(false);
      expect(await names('group', 'team')).toEqual(['Admins']);
      // Deleting a policy takes its attachments.
      expect(await meta.deletePolicy('read')).toBe(true);
      expect(await meta.deletePolicy('read')).toBe(false);
      expect(await names('user', 'ana')).toEqual([]);
      await meta.putPolicy(policy('read'));
      expect(await names('user', 'ana')).toEqual([]);
    });

    it('stores access keys of existing users, by id, listed per user', async () => {
      await meta.createUser(user('ana'));
      await meta.createUser(user('bob'));
      await meta.createAccessKey(key('SLKB', 'ana'));
      await meta.createAccessKey(key('SLKA', 'bob'));
      await meta.createAccessKey(key('SLKC', 'ana'));
      const dup = meta.createAccessKey(key('SLKA', 'ana'));
      await expect(dup).rejects.toMatchObject({ data: { name: 'SLKA', kind: 'accessKey' } });
      await expect(meta.createAccessKey(key('SLKD', 'cy'))).rejects.toBeInstanceOf(
        UserNotFoundError,
      );
      expect(await meta.getAccessKey('SLKA')).toEqual(key('SLKA', 'bob'));
      expect(await meta.getAccessKey('SLKD')).toBeUndefined();
      expect((await meta.listAccessKeys('ana')).map((k) => k.accessKeyId)).toEqual([
        'SLKB',
        'SLKC',
      ]);
      expect((await meta.listAccessKeys()).map((k) => k.accessKeyId)).toEqual([
        'SLKB',
        'SLKC',
        'SLKA',
      ]);
      expect(await meta.deleteAccessKey('SLKB')).toBe(true);
      expect(await meta.deleteAccessKey('SLKB')).toBe(false);
      expect(await meta.getAccessKey('SLKB')).toBeUndefined();
    });

    it('deleteUser takes its keys, memberships and attachments; others stay', async () => {
      await meta.createUser(user('ana'));
      await meta.createUser(user('bob'));
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      await meta.putPolicy(policy('read'));
      for (const u of ['ana', 'bob']) {
        await meta.addMember('team', u);
        await meta.attachPolicy('read', { kind: 'user', name: u });
        await meta.createAccessKey(key(`K-${u}`, u));
      }
      expect(await meta.deleteUser('ana')).toBe(true);
      expect(await meta.deleteUser('ana')).toBe(false);
      expect(await meta.getUser('ana')).toBeUndefined();
      expect(await meta.getAccessKey('K-ana')).toBeUndefined();
      expect(await meta.membersOf('team')).toEqual(['bob']);
      expect(await meta.policiesOf({ kind: 'user', name: 'ana' })).toEqual([]);
      // A new user of the same name starts with nothing.
      await meta.createUser(user('ana'));
      expect(await meta.groupsOf('ana')).toEqual([]);
      expect(await meta.listAccessKeys('ana')).toEqual([]);
      expect((await meta.listAccessKeys('bob')).map((k) => k.accessKeyId)).toEqual(['K-bob']);
      expect((await meta.policiesOf({ kind: 'user', name: 'bob' })).map((p) => p.name)).toEqual([
        'read',
      ]);
    });

    it('deleteGroup takes its memberships and attachments', async () => {
      await meta.createUser(user('ana'));
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      await meta.putPolicy(policy('read'));
      await meta.addMember('team', 'ana');
      await meta.attachPolicy('read', { kind: 'group', name: 'team' });
      expect(await meta.deleteGroup('team')).toBe(true);
      expect(await meta.deleteGroup('team')).toBe(false);
      expect(await meta.groupsOf('ana')).toEqual([]);
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      expect(await meta.membersOf('team')).toEqual([]);
      expect(await meta.policiesOf({ kind: 'group', name: 'team' })).toEqual([]);
      expect(await meta.getUser('ana')).toBeDefined();
    });

    it('identities are global: deleteRepository leaves them', async () => {
      await meta.createUser(user('ana'));
      await meta.createGroup({ name: 'team', createdAt: T0, builtin: false });
      await meta.createAccessKey(key('K', 'ana'));
      await meta.deleteRepository('repo1');
      expect(await meta.getUser('ana')).toBeDefined();
      expect(await meta.getGroup('team')).toBeDefined();
      expect(await meta.getAccessKey('K')).toBeDefined();
    });
  });
}
