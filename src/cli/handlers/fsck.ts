// `sluice fsck`: checks every ref, commit, tree node and (unless --no-data) object hash. Any
// problem is listed with its stable code and the command exits 4.
import { EXIT_INTERNAL, EXIT_OK } from '../errors.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { data: boolean }): Promise<number> {
  const repo = await ctx.repo();
  const bar = ctx.progress('fsck');
  let report: Awaited<ReturnType<typeof repo.fsck>>;
  try {
    report = await repo.fsck({ verifyData: opts.data, onProgress: (n) => bar.update(n) });
  } finally {
    bar.stop();
  }
  ctx.out.result({ fsck: report }, () => {
    ctx.out.line(
      `checked ${report.refs} ref(s), ${report.commits} commit(s), ${report.nodes} node(s), ` +
        `${report.objects} object(s)${opts.data ? '' : ' (existence only)'}`,
    );
    if (report.ok) {
      ctx.out.line('ok: no problems found');
      return;
    }
    ctx.out.table(report.problems.map((p) => [p.code, p.kind, p.id, p.message]));
  });
  if (report.ok) return EXIT_OK;
  if (!ctx.out.json)
    ctx.io.stderr.write(`error: fsck found ${report.problems.length} problem(s)\n`);
  return EXIT_INTERNAL;
}
