// `sluice compile [--select …] [--project DIR]`: renders the project's models (Jinja evaluated,
// ref / source resolved, ephemerals as CTE names) and prints their SQL — what `build` would run,
// without touching the repository. A project that cannot compile fails here with file and line.
import { resolve } from 'node:path';
import { findRepoDir } from '../../index.js';
import { compileProject, loadProject, selectNodes } from '../../pipeline/index.js';
import type { CommandContext } from '../runner.js';

interface CompileCliOptions {
  select?: string[];
  exclude?: string[];
  project?: string;
}

export async function run(ctx: CommandContext, opts: CompileCliOptions): Promise<number> {
  const dir = resolve(opts.project ?? findRepoDir(ctx.globals.repo));
  const compiled = compileProject(loadProject(dir));
  const chosen = selectNodes(compiled.graph, {
    ...(opts.select ? { select: opts.select } : {}),
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
  }).filter((n) => n.kind === 'model');
  const models = chosen.map((n) => {
    const m = compiled.models.get(n.name);
    return {
      name: n.name,
      path: n.path,
      materialized: n.materialized,
      table: m?.table,
      dependsOn: n.dependsOn,
      sql: m?.sql ?? '',
    };
  });
  ctx.out.result({ project: compiled.graph.project, models }, () => {
    for (const m of models) {
      ctx.out.line(`-- ${m.name} (${m.materialized}) ${m.path}`);
      ctx.out.block(m.sql.trim());
      ctx.out.line();
    }
  });
  return 0;
}
