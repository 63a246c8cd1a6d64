// The identity service: users, groups, access keys, passwords, sessions and policies over the
// metadata database's IdentityStore, with the server key for what must stay secret. The CLI's
// `user | key | group | policy | auth` commands and the server call this, never the store: the
// rules live here — names validated, built-ins untouchable, the last admin kept, a secret shown
// once and stored sealed, one error for every failed sign-in.
import {
  AccessKeyNotFoundError,
  AlreadyBootstrappedError,
  BuiltinIdentityError,
  GroupNotFoundError,
  LastAdminError,
  PolicyNotFoundError,
  UnauthenticatedError,
  UserNotFoundError,
} from '../common/errors.js';
import type { IdentityStore, PolicyRecord, Principal } from '../meta/identity-store.js';
import { newAccessKeyId, newSecretAccessKey, secretsEqual } from './access-keys.js';
import type { Subject } from './authorize.js';
import { ADMINS, BUILTIN_GROUPS, BUILTIN_POLICIES } from './builtin.js';
import { validateIdentityName } from './identity-names.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type Policy, parsePolicyDocument } from './policy.js';
import { openSecret, sealSecret } from './secret-box.js';
import type { ServerKey } from './server-key.js';
import { issueSessionToken, type SessionOptions, verifySessionToken } from './sessions.js';

/** A new access key: the secret is in this value only — it is stored sealed and never shown again. */
export interface AccessKeyCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  user: string;
  createdAt: Date;
}

export interface UserInfo {
  name: string;
  createdAt: Date;
  groups: string[];
  hasPassword: boolean;
  email?: string;
}

export interface GroupInfo {
  name: string;
  createdAt: Date;
  builtin: boolean;
  members: string[];
}

export interface PolicyInfo extends Policy {
  createdAt: Date;
  builtin: boolean;
}

export interface CreateUserOptions {
  groups?: readonly string[];
  /** For people who sign in to the UI; machines use access keys only. */
  password?: string;
  email?: string;
}

export interface BootstrapResult extends AccessKeyCredentials {
  user: string;
}

/** Why a sign-in failed, the same for an unknown key, a wrong secret or an unknown user. */
const BAD_CREDENTIALS = 'invalid credentials';

const BUILTIN_POLICY_BY_NAME = new Map(BUILTIN_POLICIES.map((p) => [p.name, p]));

function badCredentials(): UnauthenticatedError {
  return new UnauthenticatedError(BAD_CREDENTIALS, { reason: BAD_CREDENTIALS });
}

function userNotFound(user: string): UserNotFoundError {
  return new UserNotFoundError(`user ${user} not found`, { user });
}

function groupNotFound(group: string): GroupNotFoundError {
  return new GroupNotFoundError(`group ${group} not found`, { group });
}

function policyNotFound(policy: string): PolicyNotFoundError {
  return new PolicyNotFoundError(`policy ${policy} not found`, { policy });
}

function builtin(name: string, kind: 'group' | 'policy', what: string): BuiltinIdentityError {
  return new BuiltinIdentityError(`${name} is a built-in ${kind}: it cannot be ${what}`, {
    name,
    kind,
  });
}

export class Identities {
  /** A hash to verify against when a user has none, so a sign-in takes as long either way. */
  #dummyHash: Promise<string> | undefined;

  readonly #key: () => ServerKey;

  /**
   * `key` may be a function: it is then called only when a secret is sealed, opened or signed,
   * so commands that never touch one (listing users, editing policies) need no server key.
   */
  constructor(
    private readonly store: IdentityStore,
    key: ServerKey | (() => ServerKey),
  ) {
    this.#key = typeof key === 'function' ? key : () => key;
  }

  // ---- bootstrap ----------------------------------------------------------------------------

  /**
   * Creates (or refreshes) the built-in groups and their policies: the code's definitions are
   * the truth for built-ins, stored so listings show them.
   */
  async ensureBuiltins(now = new Date()): Promise<void> {
    for (const p of BUILTIN_POLICIES) {
      await this.store.putPolicy({
        name: p.name,
        createdAt: now,
        builtin: true,
        document: JSON.stringify({ statements: p.statements }),
      });
    }
    for (const name of BUILTIN_GROUPS) {
      await this.store.createGroup({ name, createdAt: now, builtin: true });
      await this.store.attachPolicy(name, { kind: 'group', name });
    }
  }

  /**
   * The first admin: the built-ins, the user (default `admin`) in Admins, and an access key.
   * AlreadyBootstrappedError once Admins has a member. (Two bootstraps racing may both succeed;
   * it runs once, by hand, before the server is shared.)
   */
  async bootstrap(opts: { user?: string } = {}): Promise<BootstrapResult> {
    const user = validateIdentityName(opts.user ?? 'admin', 'user');
    // Checked first: a refused bootstrap changes nothing, not even the built-ins.
    const admins = await this.store.membersOf(ADMINS);
    if (admins.length > 0) {
      throw new AlreadyBootstrappedError(
        `already bootstrapped: ${admins.join(', ')} ${admins.length === 1 ? 'is an admin' : 'are admins'} (an admin adds users with \`sluice user create\`)`,
        { admins },
      );
    }
    await this.ensureBuiltins();
    if (!(await this.store.getUser(user))) {
      await this.store.createUser({ name: user, createdAt: new Date() });
    }
    await this.store.addMember(ADMINS, user);
    return { user, ...(await this.createAccessKey(user)) };
  }

  // ---- users --------------------------------------------------------------------------------

  /** GroupNotFoundError (nothing created) when a group is missing; RefAlreadyExistsError if taken. */
  async createUser(name: string, opts: CreateUserOptions = {}): Promise<UserInfo> {
    validateIdentityName(name, 'user');
    const groups = [...new Set(opts.groups ?? [])];
    for (const g of groups) await this.requireGroup(g);
    const passwordHash =
      opts.password === undefined ? undefined : await hashPassword(opts.password);
    const createdAt = new Date();
    await this.store.createUser({
      name,
      createdAt,
      ...(passwordHash !== undefined && { passwordHash }),
      ...(opts.email !== undefined && { email: opts.email }),
    });
    for (const g of groups) await this.store.addMember(g, name);
    return {
      name,
      createdAt,
      groups: groups.sort(),
      hasPassword: passwordHash !== undefined,
      ...(opts.email !== undefined && { email: opts.email }),
    };
  }

  /** Deletes the user with its keys, memberships and attachments; never the last admin. */
  async deleteUser(name: string): Promise<void> {
    await this.requireUser(name);
    await this.keepAnAdmin(name);
    if (!(await this.store.deleteUser(name))) throw userNotFound(name);
  }

  async listUsers(): Promise<UserInfo[]> {
    const users = await this.store.listUsers();
    return Promise.all(
      users.map(async (u) => ({
        name: u.name,
        createdAt: u.createdAt,
        groups: await this.store.groupsOf(u.name),
        hasPassword: u.passwordHash !== undefined,
        ...(u.email !== undefined && { email: u.email }),
      })),
    );
  }

  async setPassword(user: string, password: string | undefined): Promise<void> {
    const hash = password === undefined ? undefined : await hashPassword(password);
    if (!(await this.store.setPassword(user, hash))) throw userNotFound(user);
  }

  // ---- access keys --------------------------------------------------------------------------

  /** A new key for `user`; the secret is returned here once and stored sealed. */
  async createAccessKey(user: string): Promise<AccessKeyCredentials> {
    const accessKeyId = newAccessKeyId();
    const secretAccessKey = newSecretAccessKey();
    await this.store.createAccessKey({
      accessKeyId,
      user,
      createdAt: new Date(),
      sealedSecret: sealSecret(this.#key(), secretAccessKey, accessKeyId),
    });
    return { accessKeyId, secretAccessKey };
  }

  /** Keys (ids, users, dates — never secrets), of one user or of all. */
  async listAccessKeys(user?: string): Promise<AccessKeyInfo[]> {
    if (user !== undefined) await this.requireUser(user);
    const keys = await this.store.listAccessKeys(user);
    return keys.map((k) => ({ accessKeyId: k.accessKeyId, user: k.user, createdAt: k.createdAt }));
  }

  async revokeAccessKey(accessKeyId: string): Promise<void> {
    if (!(await this.store.deleteAccessKey(accessKeyId))) {
      throw new AccessKeyNotFoundError(`access key ${accessKeyId} not found`, { accessKeyId });
    }
  }

  /** The key's user and secret, for verifying signatures (S3 SigV4); undefined for an unknown key. */
  async secretOf(
    accessKeyId: string,
  ): Promise<{ user: string; secretAccessKey: string } | undefined> {
    const rec = await this.store.getAccessKey(accessKeyId);
    if (!rec) return undefined;
    return {
      user: rec.user,
      secretAccessKey: openSecret(this.#key(), rec.sealedSecret, accessKeyId),
    };
  }

  /** The key's user; UnauthenticatedError, the same one, for an unknown key or a wrong secret. */
  async authenticateKey(accessKeyId: string, secretAccessKey: string): Promise<string> {
    const found = await this.secretOf(accessKeyId);
    // Compare against something even for an unknown key: both failures take the same time.
    const ok = secretsEqual(secretAccessKey, found?.secretAccessKey ?? newSecretAccessKey());
    if (!found || !ok) throw badCredentials();
    return found.user;
  }

  // ---- passwords and sessions ---------------------------------------------------------------

  /** The user; UnauthenticatedError, the same one, for an unknown user, no password or a wrong one. */
  async authenticatePassword(user: string, password: string): Promise<string> {
    const rec = await this.store.getUser(user);
    this.#dummyHash ??= hashPassword('not-a-password-anyone-has');
    const hash = rec?.passwordHash ?? (await this.#dummyHash);
    const ok = await verifyPassword(hash, password);
    if (!rec?.passwordHash || !ok) throw badCredentials();
    return rec.name;
  }

  async issueSession(user: string, opts: SessionOptions = {}): Promise<string> {
    await this.requireUser(user);
    return issueSessionToken(this.#key(), user, opts);
  }

  /** The token's user, who must still exist; UnauthenticatedError otherwise. */
  async verifySession(token: string, opts: { now?: Date } = {}): Promise<string> {
    const user = await verifySessionToken(this.#key(), token, opts);
    if (!(await this.store.getUser(user))) throw badCredentials();
    return user;
  }

  // ---- groups -------------------------------------------------------------------------------

  async createGroup(name: string): Promise<GroupInfo> {
    validateIdentityName(name, 'group');
    const createdAt = new Date();
    await this.store.createGroup({ name, createdAt, builtin: false });
    return { name, createdAt, builtin: false, members: [] };
  }

  async deleteGroup(name: string): Promise<void> {
    const g = await this.requireGroup(name);
    if (g.builtin) throw builtin(name, 'group', 'deleted');
    await this.store.deleteGroup(name);
  }

  async listGroups(): Promise<GroupInfo[]> {
    const groups = await this.store.listGroups();
    return Promise.all(
      groups.map(async (g) => ({ ...g, members: await this.store.membersOf(g.name) })),
    );
  }

  async addMember(group: string, user: string): Promise<void> {
    await this.store.addMember(group, user);
  }

  /** False when the user was not a member; never removes the last admin. */
  async removeMember(group: string, user: string): Promise<boolean> {
    await this.requireGroup(group);
    if (group === ADMINS) await this.keepAnAdmin(user);
    return this.store.removeMember(group, user);
  }

  // ---- policies -----------------------------------------------------------------------------

  /** Creates or replaces a policy from its document (JSON text or value); built-ins are fixed. */
  async putPolicy(name: string, document: unknown): Promise<PolicyInfo> {
    validateIdentityName(name, 'policy');
    if (BUILTIN_POLICY_BY_NAME.has(name)) throw builtin(name, 'policy', 'changed');
    const parsed = parsePolicyDocument(document, name);
    const existing = await this.store.getPolicy(name);
    const createdAt = existing?.createdAt ?? new Date();
    await this.store.putPolicy({
      name,
      createdAt,
      builtin: false,
      document: JSON.stringify(parsed),
    });
    return { name, statements: parsed.statements, createdAt, builtin: false };
  }

  async getPolicy(name: string): Promise<PolicyInfo> {
    const rec = await this.store.getPolicy(name);
    if (!rec) throw policyNotFound(name);
    return this.policyInfo(rec);
  }

  async listPolicies(): Promise<PolicyInfo[]> {
    return (await this.store.listPolicies()).map((r) => this.policyInfo(r));
  }

  async deletePolicy(name: string): Promise<void> {
    if (BUILTIN_POLICY_BY_NAME.has(name)) throw builtin(name, 'policy', 'deleted');
    if (!(await this.store.deletePolicy(name))) throw policyNotFound(name);
  }

  async attachPolicy(policy: string, to: Principal): Promise<void> {
    await this.store.attachPolicy(policy, to);
  }

  /** False when it was not attached; a built-in group keeps its own policy. */
  async detachPolicy(policy: string, from: Principal): Promise<boolean> {
    if (from.kind === 'group' && from.name === policy && BUILTIN_POLICY_BY_NAME.has(policy)) {
      throw builtin(policy, 'policy', `detached from group ${policy}`);
    }
    if (!(await this.store.getPolicy(policy))) throw policyNotFound(policy);
    return this.store.detachPolicy(policy, from);
  }

  /** Policies attached to the principal itself. */
  async policiesOf(principal: Principal): Promise<PolicyInfo[]> {
    return (await this.store.policiesOf(principal)).map((r) => this.policyInfo(r));
  }

  // ---- the subject of authorize -------------------------------------------------------------

  /** Who `user` is for `authorize`: its groups and every policy on it or on one of its groups. */
  async subjectOf(user: string): Promise<Subject> {
    await this.requireUser(user);
    const groups = await this.store.groupsOf(user);
    const records = [
      ...(await this.store.policiesOf({ kind: 'user', name: user })),
      ...(
        await Promise.all(groups.map((name) => this.store.policiesOf({ kind: 'group', name })))
      ).flat(),
    ];
    const byName = new Map<string, Policy>();
    for (const r of records) {
      if (!byName.has(r.name)) byName.set(r.name, this.parsed(r));
    }
    return { user, groups, policies: [...byName.values()] };
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** A stored policy as statements; a built-in one from the code (its stored copy may be older). */
  private parsed(rec: PolicyRecord): Policy {
    const fixed = rec.builtin ? BUILTIN_POLICY_BY_NAME.get(rec.name) : undefined;
    if (fixed) return fixed;
    return { name: rec.name, statements: parsePolicyDocument(rec.document, rec.name).statements };
  }

  private policyInfo(rec: PolicyRecord): PolicyInfo {
    return { ...this.parsed(rec), createdAt: rec.createdAt, builtin: rec.builtin };
  }

  private async requireUser(name: string): Promise<void> {
    if (!(await this.store.getUser(name))) throw userNotFound(name);
  }

  private async requireGroup(name: string) {
    const g = await this.store.getGroup(name);
    if (!g) throw groupNotFound(name);
    return g;
  }

  /** LastAdminError when `user` is the only member of Admins. */
  private async keepAnAdmin(user: string): Promise<void> {
    const admins = await this.store.membersOf(ADMINS);
    if (admins.length === 1 && admins[0] === user) {
      throw new LastAdminError(`${user} is the last member of ${ADMINS}: add another admin first`, {
        user,
      });
    }
  }
}
