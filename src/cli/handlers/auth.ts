// `sluice auth bootstrap [--user NAME]`: the first admin of `sluice serve` and its access key,
// printed this once (with --json exactly {"accessKeyId","secretAccessKey"}, for scripts that
// store it). Refused (AlreadyBootstrappedError, exit 2) once Admins has a member.
import { identitiesFor } from '../identities.js';
import type { CommandContext } from '../runner.js';

export async function bootstrap(ctx: CommandContext, opts: { user?: string }): Promise<number> {
  const ids = await identitiesFor(ctx, 'ensure');
  const made = await ids.bootstrap(opts.user === undefined ? {} : { user: opts.user });
  const credentials = { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey };
  ctx.out.result(credentials, () => {
    ctx.out.note(`created admin ${made.user} (group Admins) with the built-in groups and policies`);
    ctx.out.line(`access key id:     ${made.accessKeyId}`);
    ctx.out.line(`secret access key: ${made.secretAccessKey}`);
    ctx.out.note('the secret is shown this once: store it now (e.g. in ~/.sluice/credentials)');
  });
  return 0;
}
