// `sluice cat PATH`: an object's content on stdout. Objects up to 8 MiB are read and verified
// whole before any byte is printed; bigger ones stream and fail at the end if corrupted.
import type { EntryJson } from '../../internal.js';
import { entryJson } from '../output.js';
import type { CommandContext } from '../runner.js';

const VERIFY_BEFORE_PRINT = 8 * 1024 * 1024;

export async function run(
  ctx: CommandContext,
  path: string,
  opts: { ref?: string },
): Promise<number> {
  const repo = await ctx.repo();
  const ref = await ctx.ref(opts.ref);
  if (ctx.out.json) {
    const entry = await repo.stat(ref, path);
    printCatJson(ctx, entryJson(entry), await repo.getObject(ref, path));
    return 0;
  }
  const entry = await repo.stat(ref, path);
  if (entry.size <= VERIFY_BEFORE_PRINT) {
    await ctx.out.raw(await repo.getObject(ref, path));
  } else {
    const { stream } = await repo.openObject(ref, path);
    for await (const chunk of stream) await ctx.out.raw(chunk as Buffer);
  }
  return 0;
}

/** `cat --json`: the entry and the content (UTF-8 text, else base64), locally and remotely. */
export function printCatJson(ctx: CommandContext, entry: EntryJson, bytes: Uint8Array): void {
  let content: string;
  let encoding: 'utf8' | 'base64' = 'utf8';
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    content = Buffer.from(bytes).toString('base64');
    encoding = 'base64';
  }
  ctx.out.result({ entry, encoding, content }, () => {});
}
