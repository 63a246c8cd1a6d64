// `sluice --remote URL ls [PREFIX] [-r]`: a PREFIX naming an object lists that object, else the
// prefix as a directory — as locally, with the server's stat and paged listing.
import { PathNotFoundError, parseRepoPath } from '../../index.js';
import type { ListItemJson } from '../../internal.js';
import { printLs } from '../handlers/ls.js';
import type { CommandContext } from '../runner.js';
import { statRemote } from './objects.js';
import { allPages, PAGE } from './pages.js';

export async function run(
  ctx: CommandContext,
  given: string | undefined,
  opts: { ref?: string; recursive?: boolean },
): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const ref = await s.ref(opts.ref);
  let prefix = given ?? '';
  if (prefix === '.' || prefix === './') prefix = '';
  if (prefix !== '') parseRepoPath(prefix, { allowTrailingSlash: true });
  let items: ListItemJson[] | undefined;
  if (prefix !== '' && !prefix.endsWith('/')) {
    try {
      items = [{ type: 'object', ...(await statRemote(s, ref, prefix)) }];
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
      prefix = `${prefix}/`;
    }
  }
  items ??= await allPages((after) =>
    s.call(
      s.client.GET('/api/v1/repositories/{repository}/refs/{ref}/objects/ls', {
        params: {
          path: { repository, ref },
          query: {
            amount: PAGE,
            ...(prefix ? { prefix } : {}),
            ...(opts.recursive ? {} : { delimiter: '/' }),
            after,
          },
        },
      }),
    ),
  );
  if (given !== undefined && prefix !== '' && items.length === 0) {
    throw new PathNotFoundError(`${given} not found at ${ref}`, { path: given, ref });
  }
  printLs(ctx, ref, prefix, items);
  return 0;
}
