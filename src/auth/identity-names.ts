// Names of users, groups and policies: what an access key listing, a policy's principal and an
// event's actor show. Letters, digits and `._-@` (an e-mail address is a valid user name), 1–64
// characters — nothing a terminal, a URL path segment or a log line must escape.
import { InvalidNameError } from '../common/errors.js';

export type IdentityKind = 'user' | 'group' | 'policy';

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

export function validateIdentityName(name: string, kind: IdentityKind): string {
  if (NAME.test(name)) return name;
  const reason =
    name.length === 0 || name.length > 64
      ? 'it must be 1 to 64 characters long'
      : 'use only letters, digits, ".", "_", "-" and "@"';
  throw new InvalidNameError(`invalid ${kind} name ${JSON.stringify(name)}: ${reason}`, {
    name,
    kind,
    reason,
  });
}
