// `sluice ls [PREFIX]`: objects at a ref. Without -r, keys below the next "/" collapse into
// directories ("dir/"); a PREFIX that names an object lists that object.
import { type ListItem, PathNotFoundError, parseRepoPath } from '../../index.js';
import { entryJson } from '../output.js';
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
  const list = items;
  ctx.out.result(
    {
      ref,
      prefix,
      entries: list.map((i) =>
        i.type === 'object' ? { type: 'object', ...entryJson(i.entry) } : i,
      ),
    },
    () =>
      ctx.out.table(
        list.map((i) =>
          i.type === 'object'
            ? [String(i.entry.size), i.entry.checksum.slice(0, 12), i.entry.path]
            : ['-', '-', i.path],
        ),
        [0],
      ),
  );
  return 0;
}
