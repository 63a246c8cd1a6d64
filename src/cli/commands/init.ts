// `sluice init [DIR]`: creates a repository (embedded default: SQLite + objects on local disk).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { initRepository } from '../../index.js';
import type { Runner } from '../runner.js';

interface InitOptions {
  storage?: string;
  meta?: string;
  name?: string;
  defaultBranch?: string;
  s3Endpoint?: string;
}

export function register(program: Command, runner: Runner): void {
  program
    .command('init')
    .description('create a repository in DIR (default: --repo or the current directory)')
    .argument('[dir]', 'directory to create the repository in')
    .option(
      '--storage <path|s3-url>',
      'where objects live: a local directory or s3://bucket/prefix',
    )
    .option('--meta <sqlite|postgres-url>', 'metadata store: sqlite (default) or a postgres:// URL')
    .option('--name <name>', "repository name (default: the directory's name)")
    .option('--default-branch <branch>', 'name of the default branch', 'main')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint, when not AWS')
    .action(
      runner.action(async (ctx, dir: string | undefined, opts: InitOptions) => {
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
      }),
    );
}
