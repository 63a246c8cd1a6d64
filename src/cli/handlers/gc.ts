// `sluice gc`: removes expired sandboxes (workflow) and the run branches of killed builds older
// than the retention period (pipeline) first, then deletes objects no ref, no recent commit and
// no staging area can reach (core). The core gc knows nothing of sandboxes or builds (core is
// below them): this command composes the three.
import { expireRunBranches } from '../../pipeline/index.js';
import { expireSandboxes } from '../../workflow/index.js';
import { nonNegativeNumber } from '../options.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

interface GcCliOptions {
  retentionDays?: string;
  dryRun?: boolean;
  graceSeconds?: string;
}

export async function run(ctx: CommandContext, opts: GcCliOptions): Promise<number> {
  const retentionDays = nonNegativeNumber(opts.retentionDays, '--retention-days');
  const graceSeconds = nonNegativeNumber(opts.graceSeconds, '--grace-seconds');
  const repo = await ctx.repo();
  const sandboxes = await expireSandboxes(repo, { dryRun: opts.dryRun === true });
  for (const f of sandboxes.failed)
    ctx.out.warn(`kept expired sandbox ${f.sandbox.name}: ${f.error.message}`);
  const runs = await expireRunBranches(repo, {
    ...(retentionDays === undefined ? {} : { retentionDays }),
    dryRun: opts.dryRun === true,
  });
  for (const f of runs.failed) ctx.out.warn(`kept run branch ${f.run.branch}: ${f.error.message}`);
  const bar = ctx.progress('gc');
  let report: Awaited<ReturnType<typeof repo.gc>>;
  try {
    report = await repo.gc({
      retentionDays,
      dryRun: opts.dryRun === true,
      ...(graceSeconds === undefined ? {} : { graceMs: graceSeconds * 1000 }),
      onProgress: (phase, n) => bar.update(n, undefined, phase),
    });
  } finally {
    bar.stop();
  }
  const sandboxesJson = {
    removed: sandboxes.removed.map((s) => ({
      name: s.name,
      branch: s.branch,
      state: s.state,
    })),
    failed: sandboxes.failed.map((f) => ({
      name: f.sandbox.name,
      branch: f.sandbox.branch,
      error: { code: f.error.code, message: f.error.message },
    })),
  };
  const runsJson = {
    removed: runs.removed.map((r) => ({
      branch: r.branch,
      runId: r.runId,
      startedAt: r.startedAt.toISOString(),
    })),
    failed: runs.failed.map((f) => ({
      branch: f.run.branch,
      error: { code: f.error.code, message: f.error.message },
    })),
  };
  ctx.out.result({ sandboxes: sandboxesJson, runBranches: runsJson, gc: report }, () => {
    const n = sandboxes.removed.length;
    if (n > 0) {
      const names = sandboxes.removed
        .map((s) => (s.state === 'missing' ? `${s.name} (branch already gone)` : s.name))
        .join(', ');
      ctx.out.line(
        `${sandboxes.dryRun ? 'would remove' : 'removed'} ${n} expired sandbox(es): ${names}`,
      );
    }
    if (runs.removed.length > 0) {
      ctx.out.line(
        `${runs.dryRun ? 'would remove' : 'removed'} ${runs.removed.length} run branch(es) of killed builds: ${runs.removed.map((r) => r.branch).join(', ')}`,
      );
    }
    const verb = report.dryRun ? 'would delete' : 'deleted';
    ctx.out.line(
      `${verb} ${report.objectsDeleted} object(s) (${formatBytes(report.bytesDeleted)}), ` +
        `${report.nodesDeleted} node(s), ${report.commitsDeleted} commit(s)`,
    );
    ctx.out.line(
      `kept ${report.objectsKept} object(s), ${report.nodesKept} node(s), ${report.commitsKept} commit(s)` +
        (report.stagingRowsDeleted > 0
          ? `; cleared ${report.stagingRowsDeleted} stale staging row(s)`
          : ''),
    );
    if (report.uploadsDeleted > 0 || report.uploadPartsDeleted > 0)
      ctx.out.line(
        `${verb} ${report.uploadsDeleted} abandoned multipart upload(s), ${report.uploadPartsDeleted} part(s)`,
      );
  });
  return 0;
}
