// `sluice --remote URL get PATH DEST`: downloads through a temp file renamed at the end, as
// locally (the server verifies the content while it streams; a mismatch aborts the download).
import { download, printGot } from '../handlers/get.js';
import type { CommandContext } from '../runner.js';
import { statRemote, streamRemote } from './objects.js';

export async function run(
  ctx: CommandContext,
  path: string,
  dest: string,
  opts: { ref?: string },
): Promise<number> {
  const s = await ctx.remote();
  const ref = await s.ref(opts.ref);
  const entry = await statRemote(s, ref, path);
  const target = await download(ctx, entry, await streamRemote(s, ref, path), dest);
  printGot(ctx, entry, target);
  return 0;
}
