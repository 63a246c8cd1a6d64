// `sluice --remote URL sandbox create|list|delete`: the same output as the local commands (their
// printers, fed with the server's answers). On a server the sandbox belongs to the signed-in
// user: `--owner` is refused rather than ignored.
import { InvalidArgumentError } from '../../index.js';
import {
  type CreateCliOptions,
  printCreated,
  printDeleted,
  printList,
  ttlOf,
} from '../handlers/sandbox.js';
import type { CommandContext } from '../runner.js';
import { allPages } from './pages.js';

export async function create(
  ctx: CommandContext,
  name: string,
  opts: CreateCliOptions,
): Promise<number> {
  ttlOf(opts); // the local command's refusal of a bad --ttl, before any request
  if (opts.owner !== undefined) {
    throw new InvalidArgumentError('--owner: on a server a sandbox belongs to the signed-in user', {
      argument: '--owner',
      reason: 'remote',
    });
  }
  const session = await ctx.remote();
  const repository = await session.repository();
  const created = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/sandboxes', {
      params: { path: { repository } },
      body: {
        name,
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.ttl !== undefined ? { ttl: opts.ttl } : {}),
        ...(opts.private === true ? { private: true } : {}),
      },
    }),
  );
  printCreated(ctx, created.sandbox);
  return 0;
}

export async function list(ctx: CommandContext): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const all = await allPages((after) =>
    session.call(
      session.client.GET('/api/v1/repositories/{repository}/sandboxes', {
        params: { path: { repository }, query: { amount: 1000, ...(after ? { after } : {}) } },
      }),
    ),
  );
  printList(ctx, all);
  return 0;
}

export async function remove(ctx: CommandContext, name: string): Promise<number> {
  const session = await ctx.remote();
  const repository = await session.repository();
  const answer = await session.call(
    session.client.DELETE('/api/v1/repositories/{repository}/sandboxes/{name}', {
      params: { path: { repository, name } },
    }),
  );
  printDeleted(ctx, answer.deleted);
  return 0;
}
