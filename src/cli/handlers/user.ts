// `sluice user create NAME [--group G]… [--password-stdin]`, `user list`, `user delete NAME`:
// the people and machines of `sluice serve`. A password (for the web UI) is read from stdin only,
// never from the command line where `ps` and shell history would keep it.
import type { UserInfo } from '../../auth/index.js';
import { identitiesFor, readAll } from '../identities.js';
import type { CommandContext } from '../runner.js';

interface CreateCliOptions {
  group?: string[];
  passwordStdin?: boolean;
}

export async function create(
  ctx: CommandContext,
  name: string,
  opts: CreateCliOptions,
): Promise<number> {
  const password = opts.passwordStdin
    ? (await readAll(ctx.io.stdin ?? process.stdin)).replace(/\r?\n$/, '')
    : undefined;
  const ids = await identitiesFor(ctx);
  const u = await ids.createUser(name, {
    groups: opts.group ?? [],
    ...(password !== undefined && { password }),
  });
  ctx.out.result({ user: userJson(u) }, () =>
    ctx.out.note(
      `created user ${u.name}${u.groups.length ? ` in ${u.groups.join(', ')}` : ''}` +
        (u.hasPassword ? ' (with a password)' : ''),
    ),
  );
  if (!ctx.out.json) ctx.out.note(`next: sluice key create --user ${u.name}`);
  return 0;
}

export async function list(ctx: CommandContext): Promise<number> {
  const users = await (await identitiesFor(ctx)).listUsers();
  ctx.out.result({ users: users.map(userJson) }, () => {
    if (users.length === 0) {
      ctx.out.note('no users (sluice auth bootstrap)');
      return;
    }
    ctx.out.table([
      ['NAME', 'GROUPS', 'PASSWORD', 'CREATED'],
      ...users.map((u) => [
        u.name,
        u.groups.join(',') || '-',
        u.hasPassword ? 'yes' : 'no',
        u.createdAt.toISOString(),
      ]),
    ]);
  });
  return 0;
}

export async function remove(ctx: CommandContext, name: string): Promise<number> {
  await (await identitiesFor(ctx)).deleteUser(name);
  ctx.out.result({ deleted: { user: name } }, () =>
    ctx.out.note(`deleted user ${name} with its access keys`),
  );
  return 0;
}

function userJson(u: UserInfo): Record<string, unknown> {
  return {
    name: u.name,
    groups: u.groups,
    hasPassword: u.hasPassword,
    createdAt: u.createdAt.toISOString(),
  };
}
