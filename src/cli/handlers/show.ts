// `sluice show REF`: a commit's details and its changes against its first parent.
import type { Change } from '../../index.js';
import {
  changeJson,
  collect,
  commitJson,
  countChanges,
  printChanges,
  printCommit,
} from '../output.js';
import type { CommandContext } from '../runner.js';

export async function run(ctx: CommandContext, ref: string | undefined): Promise<number> {
  const repo = await ctx.repo();
  const c = await repo.getCommit(await ctx.ref(ref));
  const parent = c.parents[0];
  let changes: Change[];
  if (parent) {
    changes = await collect(repo.diff(parent, c.id));
  } else {
    // A root commit: everything in its tree is new.
    changes = [];
    for await (const item of repo.list(c.id)) {
      if (item.type === 'object')
        changes.push({ type: 'added', path: item.entry.path, right: item.entry });
    }
  }
  ctx.out.result(
    {
      commit: commitJson(c),
      changes: changes.map(changeJson),
      counts: countChanges(changes),
    },
    () => {
      printCommit(ctx.out, c, { metadata: true });
      ctx.out.line();
      printChanges(ctx.out, changes, 'no changes');
    },
  );
  return 0;
}
