// `sluice branch list`: every branch with its head; `*` marks the default branch.
import type { BranchInfo } from '../../index.js';
import { branchJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, opts: { prefix?: string }): Promise<number> {
  const repo = await ctx.repo();
  const branches: BranchInfo[] = [];
  for await (const b of repo.listBranches({ prefix: opts.prefix })) branches.push(b);
  printBranches(ctx, branches);
  return 0;
}

/** What both the local and the remote command print (remote/branch-list.ts). */
export function printBranches(ctx: CommandContext, branches: BranchInfo[]): void {
  ctx.out.result({ branches: branches.map(branchJson) }, () =>
    ctx.out.table(branches.map((b) => [b.isDefault ? '*' : ' ', b.name, shortId(b.head)])),
  );
}
