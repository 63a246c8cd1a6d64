// The identity service for the admin commands (auth, user, key, group, policy): over the
// repository's metadata database, with the server key from $SLUICE_SERVER_KEY or
// `.sluice/server.key` — read only by the commands that seal a secret, created only by bootstrap.
import {
  ensureServerKey,
  Identities,
  type Principal,
  requireServerKey,
  type ServerKey,
} from '../auth/index.js';
import { findRepoDir, InvalidArgumentError } from '../index.js';
import type { CommandContext } from './runner.js';

/** `ensure`: create the key file when there is no key (bootstrap); `require`: refuse then. */
export async function identitiesFor(
  ctx: CommandContext,
  key: 'ensure' | 'require' = 'require',
): Promise<Identities> {
  const repo = await ctx.repo();
  const dir = findRepoDir(ctx.globals.repo);
  let cached: ServerKey | undefined;
  const serverKey = (): ServerKey => {
    cached ??= key === 'ensure' ? ensureServerKey(dir) : requireServerKey(dir);
    return cached;
  };
  if (key === 'ensure') serverKey();
  return new Identities(repo.meta, serverKey);
}

/** The principal of `--user U` or `--group G` (exactly one). */
export function principalOf(opts: { user?: string; group?: string }): Principal {
  if ((opts.user === undefined) === (opts.group === undefined)) {
    throw new InvalidArgumentError('give exactly one of --user and --group', {
      argument: '--user/--group',
      reason: 'exactly one is needed',
    });
  }
  return opts.user !== undefined
    ? { kind: 'user', name: opts.user }
    : { kind: 'group', name: opts.group as string };
}

/** All of a stream, as text (a password or a policy document piped in). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
