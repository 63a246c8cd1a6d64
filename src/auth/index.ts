// `sluice/auth`: who may do what — the one permission decision (authorize) with its actions and
// IAM-style policies, the built-in groups, and the identity service (users, groups, access keys,
// passwords, session tokens) with the server key its secrets derive from. The server and the
// CLI's admin commands use it; a library caller can embed the same checks.

export type { Principal } from '../meta/identity-store.js';
export {
  ACCESS_KEY_PREFIX,
  isAccessKeyId,
  newAccessKeyId,
  newSecretAccessKey,
  secretsEqual,
} from './access-keys.js';
export {
  ACTIONS,
  type Action,
  actionMatches,
  isAction,
  isActionPattern,
} from './actions.js';
export {
  authorize,
  type Decision,
  type ResourceFacts,
  resourceName,
  type Subject,
} from './authorize.js';
export { ADMINS, BUILTIN_GROUPS, BUILTIN_POLICIES } from './builtin.js';
export { globMatches } from './glob.js';
export {
  type AccessKeyCredentials,
  type AccessKeyInfo,
  type BootstrapResult,
  type CreateUserOptions,
  type GroupInfo,
  Identities,
  type PolicyInfo,
  type UserInfo,
} from './identities.js';
export { type IdentityKind, validateIdentityName } from './identity-names.js';
export { hashPassword, validatePassword, verifyPassword } from './passwords.js';
export {
  type Policy,
  type PolicyDocument,
  PolicyDocumentSchema,
  parsePolicyDocument,
  type Statement,
  StatementSchema,
} from './policy.js';
export { openSecret, sealSecret } from './secret-box.js';
export {
  ensureServerKey,
  type KeyPurpose,
  loadServerKey,
  requireServerKey,
  SERVER_KEY_ENV,
  SERVER_KEY_FILE,
  ServerKey,
  serverKeyPath,
} from './server-key.js';
export {
  DEFAULT_SESSION_TTL_SECONDS,
  issueSessionToken,
  SESSION_ISSUER,
  type SessionOptions,
  verifySessionToken,
} from './sessions.js';
