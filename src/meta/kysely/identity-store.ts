// IdentityStore over Kysely: users, groups, memberships, policies, attachments and access keys,
// global to the database. Writes that join two records (a membership, an attachment, a key) check
// both ends inside one write transaction — on PostgreSQL with the ends' rows locked FOR SHARE, so
// a concurrent deleteUser / deleteGroup / deletePolicy cannot leave an orphan behind.
import type { Kysely, Selectable } from 'kysely';
import {
  GroupNotFoundError,
  PolicyNotFoundError,
  RefAlreadyExistsError,
  UserNotFoundError,
} from '../../common/errors.js';
import type {
  AccessKeyRecord,
  GroupRecord,
  IdentityStore,
  PolicyRecord,
  Principal,
  UserRecord,
} from '../identity-store.js';
import type { Database, PoliciesTable } from '../schema.js';
import type { MetaDb } from './meta-db.js';

type Db = Kysely<Database>;

function toUser(r: Selectable<Database['users']>): UserRecord {
  return {
    name: r.name,
    createdAt: new Date(Number(r.created_at)),
    ...(r.password_hash !== null && { passwordHash: r.password_hash }),
    ...(r.email !== null && { email: r.email }),
  };
}

function toGroup(r: Selectable<Database['groups']>): GroupRecord {
  return {
    name: r.name,
    createdAt: new Date(Number(r.created_at)),
    builtin: Number(r.builtin) === 1,
  };
}

function toPolicy(r: Selectable<PoliciesTable>): PolicyRecord {
  return {
    name: r.name,
    createdAt: new Date(Number(r.created_at)),
    builtin: Number(r.builtin) === 1,
    document: r.document,
  };
}

function toAccessKey(r: Selectable<Database['access_keys']>): AccessKeyRecord {
  return {
    accessKeyId: r.access_key_id,
    user: r.user_name,
    createdAt: new Date(Number(r.created_at)),
    sealedSecret: r.sealed_secret,
  };
}

export class KyselyIdentityStore implements IdentityStore {
  constructor(private readonly m: MetaDb) {}

  // ---- the ends a joining write needs -----------------------------------------------------

  /** Throws the ends' NotFound error unless the row exists (locked FOR SHARE on PostgreSQL). */
  private async need(db: Db, table: 'users' | 'groups' | 'policies', name: string): Promise<void> {
    const row = await db
      .selectFrom(table)
      .select('name')
      .where('name', '=', name)
      .$if(this.m.dialect === 'postgres', (q) => q.forShare())
      .executeTakeFirst();
    if (row) return;
    if (table === 'users') throw new UserNotFoundError(`user ${name} not found`, { user: name });
    if (table === 'groups') {
      throw new GroupNotFoundError(`group ${name} not found`, { group: name });
    }
    throw new PolicyNotFoundError(`policy ${name} not found`, { policy: name });
  }

  private needPrincipal(db: Db, p: Principal): Promise<void> {
    return this.need(db, p.kind === 'user' ? 'users' : 'groups', p.name);
  }

  // ---- users --------------------------------------------------------------------------------

  async createUser(rec: UserRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('users')
      .values({
        name: rec.name,
        created_at: rec.createdAt.getTime(),
        password_hash: rec.passwordHash ?? null,
        email: rec.email ?? null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!row) {
      throw new RefAlreadyExistsError(`user ${rec.name} already exists`, {
        name: rec.name,
        kind: 'user',
      });
    }
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const row = await this.m.db
      .selectFrom('users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.m.db.selectFrom('users').selectAll().orderBy('name').execute();
    return rows.map(toUser);
  }

  /** One transaction: the user's keys, memberships and attachments go with it. */
  deleteUser(name: string): Promise<boolean> {
    return this.m.write(async (db) => {
      await db.deleteFrom('access_keys').where('user_name', '=', name).execute();
      await db.deleteFrom('group_members').where('user_name', '=', name).execute();
      await db
        .deleteFrom('policy_attachments')
        .where('principal_kind', '=', 'user')
        .where('principal_name', '=', name)
        .execute();
      const r = await db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async setPassword(name: string, passwordHash: string | undefined): Promise<boolean> {
    const r = await this.m.db
      .updateTable('users')
      .set({ password_hash: passwordHash ?? null })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  // ---- groups -------------------------------------------------------------------------------

  async createGroup(rec: GroupRecord): Promise<void> {
    const row = await this.m.db
      .insertInto('groups')
      .values({ name: rec.name, created_at: rec.createdAt.getTime(), builtin: rec.builtin ? 1 : 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    // A built-in group is created by every bootstrap attempt: one that exists is left as it is.
    if (!row && !rec.builtin) {
      throw new RefAlreadyExistsError(`group ${rec.name} already exists`, {
        name: rec.name,
        kind: 'group',
      });
    }
  }

  async getGroup(name: string): Promise<GroupRecord | undefined> {
    const row = await this.m.db
      .selectFrom('groups')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toGroup(row);
  }

  async listGroups(): Promise<GroupRecord[]> {
    const rows = await this.m.db.selectFrom('groups').selectAll().orderBy('name').execute();
    return rows.map(toGroup);
  }

  /** One transaction: the group's memberships and attachments go with it. */
  deleteGroup(name: string): Promise<boolean> {
    return this.m.write(async (db) => {
      await db.deleteFrom('group_members').where('group_name', '=', name).execute();
      await db
        .deleteFrom('policy_attachments')
        .where('principal_kind', '=', 'group')
        .where('principal_name', '=', name)
        .execute();
      const r = await db.deleteFrom('groups').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Idempotent; UserNotFoundError / GroupNotFoundError when an end is missing. */
  addMember(group: string, user: string): Promise<void> {
    return this.m.write(async (db) => {
      await this.need(db, 'groups', group);
      await this.need(db, 'users', user);
      await db
        .insertInto('group_members')
        .values({ group_name: group, user_name: user })
        .onConflict((oc) => oc.columns(['group_name', 'user_name']).doNothing())
        .execute();
    });
  }

  async removeMember(group: string, user: string): Promise<boolean> {
    const r = await this.m.db
      .deleteFrom('group_members')
      .where('group_name', '=', group)
      .where('user_name', '=', user)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async groupsOf(user: string): Promise<string[]> {
    const rows = await this.m.db
      .selectFrom('group_members')
      .select('group_name')
      .where('user_name', '=', user)
      .orderBy('group_name')
      .execute();
    return rows.map((r) => r.group_name);
  }

  async membersOf(group: string): Promise<string[]> {
    const rows = await this.m.db
      .selectFrom('group_members')
      .select('user_name')
      .where('group_name', '=', group)
      .orderBy('user_name')
      .execute();
    return rows.map((r) => r.user_name);
  }

  // ---- policies -----------------------------------------------------------------------------

  async putPolicy(rec: PolicyRecord): Promise<void> {
    await this.m.db
      .insertInto('policies')
      .values({
        name: rec.name,
        created_at: rec.createdAt.getTime(),
        builtin: rec.builtin ? 1 : 0,
        document: rec.document,
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ document: rec.document, builtin: rec.builtin ? 1 : 0 }),
      )
      .execute();
  }

  async getPolicy(name: string): Promise<PolicyRecord | undefined> {
    const row = await this.m.db
      .selectFrom('policies')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toPolicy(row);
  }

  async listPolicies(): Promise<PolicyRecord[]> {
    const rows = await this.m.db.selectFrom('policies').selectAll().orderBy('name').execute();
    return rows.map(toPolicy);
  }

  /** One transaction: its attachments go with it. */
  deletePolicy(name: string): Promise<boolean> {
    return this.m.write(async (db) => {
      await db.deleteFrom('policy_attachments').where('policy', '=', name).execute();
      const r = await db.deleteFrom('policies').where('name', '=', name).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Idempotent; PolicyNotFoundError / UserNotFoundError / GroupNotFoundError when an end is missing. */
  attachPolicy(policy: string, to: Principal): Promise<void> {
    return this.m.write(async (db) => {
      await this.need(db, 'policies', policy);
      await this.needPrincipal(db, to);
      await db
        .insertInto('policy_attachments')
        .values({ policy, principal_kind: to.kind, principal_name: to.name })
        .onConflict((oc) => oc.columns(['principal_kind', 'principal_name', 'policy']).doNothing())
        .execute();
    });
  }

  async detachPolicy(policy: string, from: Principal): Promise<boolean> {
    const r = await this.m.db
      .deleteFrom('policy_attachments')
      .where('policy', '=', policy)
      .where('principal_kind', '=', from.kind)
      .where('principal_name', '=', from.name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async policiesOf(principal: Principal): Promise<PolicyRecord[]> {
    const rows = await this.m.db
      .selectFrom('policy_attachments')
      .innerJoin('policies', 'policies.name', 'policy_attachments.policy')
      .selectAll('policies')
      .where('policy_attachments.principal_kind', '=', principal.kind)
      .where('policy_attachments.principal_name', '=', principal.name)
      .orderBy('policies.name')
      .execute();
    return rows.map(toPolicy);
  }

  // ---- access keys --------------------------------------------------------------------------

  /** UserNotFoundError when the user is missing; RefAlreadyExistsError (kind `accessKey`) when the id is taken. */
  createAccessKey(rec: AccessKeyRecord): Promise<void> {
    return this.m.write(async (db) => {
      await this.need(db, 'users', rec.user);
      const row = await db
        .insertInto('access_keys')
        .values({
          access_key_id: rec.accessKeyId,
          user_name: rec.user,
          created_at: rec.createdAt.getTime(),
          sealed_secret: rec.sealedSecret,
        })
        .onConflict((oc) => oc.column('access_key_id').doNothing())
        .returning('access_key_id')
        .executeTakeFirst();
      if (!row) {
        throw new RefAlreadyExistsError(`access key ${rec.accessKeyId} already exists`, {
          name: rec.accessKeyId,
          kind: 'accessKey',
        });
      }
    });
  }

  async getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.m.db
      .selectFrom('access_keys')
      .selectAll()
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return row && toAccessKey(row);
  }

  async listAccessKeys(user?: string): Promise<AccessKeyRecord[]> {
    const rows = await this.m.db
      .selectFrom('access_keys')
      .selectAll()
      .$if(user !== undefined, (q) => q.where('user_name', '=', user as string))
      .orderBy('user_name')
      .orderBy('access_key_id')
      .execute();
    return rows.map(toAccessKey);
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    const r = await this.m.db
      .deleteFrom('access_keys')
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
