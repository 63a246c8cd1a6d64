// `sluice --remote URL lineage` and `impact`: the same output and exit code as the local commands
// (their printers, fed with the server's answers). The server compiles its own copy of the
// project (the directory it serves from): `--project` names a local directory and is refused.
import { InvalidArgumentError } from '../../index.js';
import type { LineageJson } from '../../internal.js';
import { type ImpactCliOptions, printImpact } from '../handlers/impact.js';
import { type LineageCliOptions, printLineage } from '../handlers/lineage.js';
import type { CommandContext } from '../runner.js';

function refuseProject(project: string | undefined): void {
  if (project === undefined) return;
  throw new InvalidArgumentError(
    '--project: against a server, lineage and impact read the project the server serves',
    { argument: '--project', reason: 'remote' },
  );
}

export async function lineage(
  ctx: CommandContext,
  node: string | undefined,
  opts: LineageCliOptions,
): Promise<number> {
  refuseProject(opts.project);
  const session = await ctx.remote();
  const repository = await session.repository();
  const ref = await session.ref(opts.ref);
  const doc = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/refs/{ref}/lineage', {
      params: { path: { repository, ref }, query: node === undefined ? {} : { node } },
    }),
  );
  // The server's schema holds each edge to a pair; the generated types say string[].
  printLineage(ctx, doc as LineageJson, opts.dot);
  return 0;
}

export async function impact(ctx: CommandContext, opts: ImpactCliOptions): Promise<number> {
  refuseProject(opts.project);
  const session = await ctx.remote();
  const repository = await session.repository();
  const branch = await session.branch(opts.branch);
  const doc = await session.call(
    session.client.GET('/api/v1/repositories/{repository}/impact', {
      params: { path: { repository }, query: { base: opts.base, branch } },
    }),
  );
  return printImpact(ctx, doc, opts);
}
