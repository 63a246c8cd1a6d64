// `sluice import SOURCE [--to BRANCH[:PREFIX]]`: zero-copy import — records where each object of
// the source is (nothing is read or copied) and commits once.
import { InvalidArgumentError } from '../../index.js';
import { importJson } from '../../internal.js';
import { formatBytes, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(
  ctx: CommandContext,
  source: string,
  opts: { branch?: string; to?: string; message?: string },
): Promise<number> {
  const { branch: named, prefix } = destination(opts);
  const repo = await ctx.repo();
  const branch = await ctx.branch(named);
  const bar = ctx.progress('list');
  let result: Awaited<ReturnType<typeof repo.importExternal>>;
  try {
    result = await repo.importExternal(source, {
      branch,
      prefix,
      message: opts.message,
      onProgress: (n) => bar.update(n),
    });
  } finally {
    bar.stop();
  }
  ctx.out.result(importJson(result, branch, prefix), () =>
    ctx.out.note(
      `[${branch} ${shortId(result.commit.id)}] imported ${result.objects} object(s) ` +
        `(${formatBytes(result.bytes)}, none copied) from ${result.source}` +
        (prefix ? ` under ${prefix}/` : ''),
    ),
  );
  return 0;
}

/** `--to BRANCH[:PREFIX]`, or `-b BRANCH`; both naming different branches is refused. */
function destination(opts: { branch?: string; to?: string }): {
  branch?: string;
  prefix: string;
} {
  if (opts.to === undefined) return { branch: opts.branch, prefix: '' };
  const colon = opts.to.indexOf(':');
  const branch = colon < 0 ? opts.to : opts.to.slice(0, colon);
  const prefix = colon < 0 ? '' : opts.to.slice(colon + 1).replace(/^\/+|\/+$/g, '');
  if (opts.branch !== undefined && opts.branch !== branch)
    throw new InvalidArgumentError(`--to names branch ${branch} and --branch ${opts.branch}`, {
      argument: 'to',
      reason: 'two branches',
    });
  return { branch: branch || opts.branch, prefix };
}
