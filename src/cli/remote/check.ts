// `sluice --remote URL check`: the server runs the checks of its project at the ref; the report
// and exit code are the local command's.
import type { CheckDocument, RunJson } from '../../internal.js';
import { printCheck } from '../handlers/check.js';
import { nonNegativeInt } from '../options.js';
import type { CommandContext } from '../runner.js';
import { runRemotely, stderrLines } from './follow-run.js';
import { refuseLocalOption } from './unsupported-option.js';

interface CheckCliOptions {
  ref?: string;
  table?: string;
  project?: string;
  sample?: string;
  store: boolean;
  html?: string;
}

export async function run(ctx: CommandContext, opts: CheckCliOptions): Promise<number> {
  refuseLocalOption('--project', opts.project);
  refuseLocalOption('--html', opts.html);
  const sample = nonNegativeInt(opts.sample, '--sample');
  const session = await ctx.remote();
  const repository = await session.repository();
  const started = await session.call(
    session.client.POST('/api/v1/repositories/{repository}/checks', {
      params: { path: { repository } },
      body: {
        ref: await session.ref(opts.ref),
        ...(opts.table ? { table: opts.table } : {}),
        ...(sample !== undefined ? { sample } : {}),
        store: opts.store,
      },
    }),
  );
  return runRemotely<CheckDocument>(
    ctx,
    session,
    repository,
    started as RunJson,
    stderrLines(ctx),
    (doc) => printCheck(ctx, doc),
  );
}
