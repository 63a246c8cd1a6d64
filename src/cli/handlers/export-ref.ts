// `sluice export-ref REF DEST`: a ref's objects as a plain tree in a directory or an S3 prefix.
// A destination that holds anything is refused unless --force.
import { InvalidArgumentError } from '../../index.js';
import { exportJson } from '../../internal.js';
import { formatBytes } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  ref: string,
  dest: string,
  opts: { prefix?: string; force?: boolean; concurrency?: string },
): Promise<number> {
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    throw new InvalidArgumentError(
      `--concurrency must be a positive integer: ${opts.concurrency}`,
      {
        argument: 'concurrency',
        reason: 'not a positive integer',
      },
    );
  const repo = await ctx.repo();
  const bar = ctx.progress('export');
  let result: Awaited<ReturnType<typeof repo.exportRef>>;
  try {
    result = await repo.exportRef(ref, dest, {
      prefix: opts.prefix,
      force: opts.force === true,
      concurrency,
      onProgress: (p) => bar.update(p.done, p.total),
    });
  } finally {
    bar.stop();
  }
  ctx.out.result(exportJson(result), () =>
    ctx.out.note(
      `exported ${result.objects} object(s) (${formatBytes(result.bytes)}) of ${ref} to ${result.destination}`,
    ),
  );
  return 0;
}
