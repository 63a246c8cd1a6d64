// `sluice ls [PREFIX]`: objects at a ref. Without -r, keys below the next "/" collapse into
// directories ("dir/"); a PREFIX that names an object lists that object.
import { type ListItem, PathNotFoundError, parseRepoPath } from '../../index.js';
import { type ListItemJson, listItemJson } from '../../internal.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  given: string | undefined,
  opts: { ref?: string; recursive?: boolean },
): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  let prefix = given ?? '';
  if (prefix === '.' || prefix === './') prefix = '';
  if (prefix !== '') parseRepoPath(prefix, { allowTrailingSlash: true });
  let items: ListItem[] | undefined;
  if (prefix !== '' && !prefix.endsWith('/')) {
    try {
      items = [{ type: 'object', entry: await repo.stat(ref, prefix) }];
    } catch (err) {
      if (!(err instanceof PathNotFoundError)) throw err;
      prefix = `${prefix}/`;
    }
  }
  if (!items) {
    items = [];
    for await (const item of repo.list(ref, {
      prefix,
      delimiter: opts.recursive ? undefined : '/',
    }))
      items.push(item);
  }
  if (given !== undefined && prefix !== '' && items.length === 0) {
    throw new PathNotFoundError(`${given} not found at ${ref}`, { path: given, ref });
  }
  printLs(ctx, ref, prefix, items.map(listItemJson));
  return 0;
}

/** What both the local and the remote command print. */
export function printLs(
  ctx: CommandContext,
  ref: string,
  prefix: string,
  entries: ListItemJson[],
): void {
  ctx.out.result({ ref, prefix, entries }, () =>
    ctx.out.table(
      entries.map((i) =>
        i.type === 'object'
          ? [String(i.size), i.checksum.slice(0, 12) || '(external)', i.path]
          : ['-', '-', i.path],
      ),
      [0],
    ),
  );
}
