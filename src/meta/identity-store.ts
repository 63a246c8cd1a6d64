// IdentityStore: users, groups, memberships, policies and access keys in the metadata database.
// A role interface like the others of meta-store.ts, implemented once over Kysely. Deleting a
// user removes its keys, memberships and attachments in one transaction; names are unique.
import type {
  AccessKeyRecord,
  GroupRecord,
  PolicyRecord,
  Principal,
  UserRecord,
} from './identity-records.js';

export type * from './identity-records.js';

export interface IdentityStore {
  createUser(rec: UserRecord): Promise<void>; // RefAlreadyExistsError (kind 'user') when taken
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  /** Deletes the user with its keys, memberships and policy attachments; false if absent. */
  deleteUser(name: string): Promise<boolean>;
  setPassword(name: string, passwordHash: string | undefined): Promise<boolean>;

  /** Creates a group; a built-in one that exists already is left as it is. */
  createGroup(rec: GroupRecord): Promise<void>;
  getGroup(name: string): Promise<GroupRecord | undefined>;
  listGroups(): Promise<GroupRecord[]>;
  deleteGroup(name: string): Promise<boolean>;
  addMember(group: string, user: string): Promise<void>;
  removeMember(group: string, user: string): Promise<boolean>;
  groupsOf(user: string): Promise<string[]>;
  membersOf(group: string): Promise<string[]>;

  /** Creates or replaces (by name) a policy. */
  putPolicy(rec: PolicyRecord): Promise<void>;
  getPolicy(name: string): Promise<PolicyRecord | undefined>;
  listPolicies(): Promise<PolicyRecord[]>;
  deletePolicy(name: string): Promise<boolean>;
  attachPolicy(policy: string, to: Principal): Promise<void>;
  detachPolicy(policy: string, from: Principal): Promise<boolean>;
  /** Policies attached to the principal itself (a user's groups are asked separately). */
  policiesOf(principal: Principal): Promise<PolicyRecord[]>;

  createAccessKey(rec: AccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  listAccessKeys(user?: string): Promise<AccessKeyRecord[]>;
  deleteAccessKey(accessKeyId: string): Promise<boolean>;
}
