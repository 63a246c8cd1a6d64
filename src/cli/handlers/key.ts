// `sluice key create --user NAME`, `key list [--user NAME]`, `key revoke KEYID`: access keys for
// `sluice serve`. The secret is printed once, by create; list shows ids only.
import { identitiesFor } from '../identities.js';
import type { CommandContext } from '../runner.js';

export async function create(ctx: CommandContext, opts: { user: string }): Promise<number> {
  const made = await (await identitiesFor(ctx, 'require')).createAccessKey(opts.user);
  ctx.out.result(made, () => {
    ctx.out.note(`created an access key for ${opts.user}`);
    ctx.out.line(`access key id:     ${made.accessKeyId}`);
    ctx.out.line(`secret access key: ${made.secretAccessKey}`);
    ctx.out.note('the secret is shown this once: store it now');
  });
  return 0;
}

export async function list(ctx: CommandContext, opts: { user?: string }): Promise<number> {
  const keys = await (await identitiesFor(ctx)).listAccessKeys(opts.user);
  const rows = keys.map((k) => ({
    accessKeyId: k.accessKeyId,
    user: k.user,
    createdAt: k.createdAt.toISOString(),
  }));
  ctx.out.result({ keys: rows }, () => {
    if (rows.length === 0) {
      ctx.out.note('no access keys (sluice key create --user NAME)');
      return;
    }
    ctx.out.table([
      ['KEY ID', 'USER', 'CREATED'],
      ...rows.map((k) => [k.accessKeyId, k.user, k.createdAt]),
    ]);
  });
  return 0;
}

export async function revoke(ctx: CommandContext, accessKeyId: string): Promise<number> {
  await (await identitiesFor(ctx)).revokeAccessKey(accessKeyId);
  ctx.out.result({ revoked: { accessKeyId } }, () =>
    ctx.out.note(`revoked access key ${accessKeyId}`),
  );
  return 0;
}
