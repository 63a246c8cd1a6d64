// `sluice --remote URL show [REF]`: the commit and its changes, as the server computes them.
import { changeFromJson, commitFromJson } from '../../internal.js';
import { printShow } from '../handlers/show.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, ref: string | undefined): Promise<number> {
  const s = await ctx.remote();
  const repository = await s.repository();
  const shown = await s.call(
    s.client.GET('/api/v1/repositories/{repository}/commits/{commit}', {
      params: { path: { repository, commit: await s.ref(ref) } },
    }),
  );
  printShow(ctx, commitFromJson(shown.commit), shown.changes.map(changeFromJson));
  return 0;
}
