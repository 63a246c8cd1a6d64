// `sluice --remote URL cat PATH`: the object's bytes on stdout (or, with --json, its entry and
// content). Up to 8 MiB it is read whole before printing, as locally; bigger ones stream.
import { printCatJson } from '../handlers/cat.js';
import type { CommandContext } from '../runner.js';
import { bytesRemote, statRemote, streamRemote } from './objects.js';

const READ_WHOLE = 8 * 1024 * 1024;

export async function run(
  ctx: CommandContext,
  path: string,
  opts: { ref?: string },
): Promise<number> {
  const s = await ctx.remote();
  const ref = await s.ref(opts.ref);
  const entry = await statRemote(s, ref, path);
  if (ctx.out.json) {
    printCatJson(ctx, entry, await bytesRemote(s, ref, path));
    return 0;
  }
  if (entry.size <= READ_WHOLE) {
    await ctx.out.raw(await bytesRemote(s, ref, path));
  } else {
    for await (const chunk of await streamRemote(s, ref, path)) await ctx.out.raw(chunk as Buffer);
  }
  return 0;
}
