// `sluice gc`: deletes objects no ref, no recent commit and no staging area can reach.
import { type Command, Option } from 'commander';
import { nonNegativeNumber } from '../options.js';
import { formatBytes } from '../output.js';
import type { Runner } from '../runner.js';

interface GcCliOptions {
  retentionDays?: string;
  dryRun?: boolean;
  graceSeconds?: string;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('gc')
    .description('delete unreachable objects, nodes and commits')
    .option(
      '--retention-days <n>',
      'keep commits younger than this many days even if unreachable (default 7)',
    )
    .option('--dry-run', 'report what would be deleted, delete nothing')
    .addOption(
      new Option('--grace-seconds <n>', 'keep objects written this recently (tests)').hideHelp(),
    )
    .action(
      runner.action(async (ctx, opts: GcCliOptions) => {
        const retentionDays = nonNegativeNumber(opts.retentionDays, '--retention-days');
        const graceSeconds = nonNegativeNumber(opts.graceSeconds, '--grace-seconds');
        const repo = await ctx.repo();
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
        ctx.out.result({ gc: report }, () => {
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
        });
        return 0;
      }),
    );
}
