// The records of the identity store (issue 15): users, groups, their policies and access keys.
// They live in the metadata database beside the repositories and are global to it — one user
// may work in every repository the database holds. Secrets arrive here already encrypted (the
// auth layer seals them with the server key); this layer stores bytes and never sees a secret.

export interface UserRecord {
  name: string;
  createdAt: Date;
  /** argon2id hash (PHC string) of the password, for people who sign in to the UI; none for machines. */
  passwordHash?: string;
  email?: string;
}

export interface GroupRecord {
  name: string;
  createdAt: Date;
  /** Built-in groups (Admins, Developers, …) cannot be deleted. */
  builtin: boolean;
}

/** A policy: a named list of statements (JSON owned by the auth layer). */
export interface PolicyRecord {
  name: string;
  createdAt: Date;
  builtin: boolean;
  /** JSON text of the statements; the auth layer validates and parses it. */
  document: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  user: string;
  createdAt: Date;
  /** The secret, sealed with the server key (AES-256-GCM); S3 signatures need it back. */
  sealedSecret: string;
}

/** Where a policy is attached: to a group or directly to a user. */
export type Principal = { kind: 'user'; name: string } | { kind: 'group'; name: string };
