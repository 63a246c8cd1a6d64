// `sluice init [DIR]`: creates a repository (embedded default: SQLite + objects on local disk).
import { resolve } from 'node:path';
import { initRepository } from '../../index.js';
import type { CommandContext } from '../runner.js';

interface InitOptions {
  storage?: string;
  meta?: string;
  name?: string;
  defaultBranch?: string;
  s3Endpoint?: string;
}

export async function run(
  ctx: CommandContext,
  dir: string | undefined,
  opts: InitOptions,
): Promise<number> {
  const root = resolve(dir ?? ctx.globals.repo ?? '.');
  const repo = await initRepository(root, {
    storage: opts.storage,
    meta: opts.meta,
    name: opts.name,
    defaultBranch: opts.defaultBranch,
    s3Endpoint: opts.s3Endpoint,
  });
  const info = {
    path: root,
    name: repo.name,
    defaultBranch: repo.defaultBranch,
    storage: repo.store.uri,
  };
  await repo.close();
  ctx.out.result({ repository: info }, () => {
    ctx.out.note(
      `Initialized sluice repository ${info.name} in ${root} (default branch ${info.defaultBranch})`,
    );
  });
  return 0;
}
