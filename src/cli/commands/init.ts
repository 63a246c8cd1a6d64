// `sluice init`: declared here; ../handlers/init.ts runs it.
import { defineCommand } from '../define.js';

export const init = defineCommand({
  name: 'init',
  description: 'create a repository in DIR (default: --repo or the current directory)',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .argument('[dir]', 'directory to create the repository in')
      .option(
        '--storage <path|s3-url>',
        'where objects live: a local directory or s3://bucket/prefix',
      )
      .option(
        '--meta <sqlite|postgres-url>',
        'metadata store: sqlite (default) or a postgres:// URL',
      )
      .option('--name <name>', "repository name (default: the directory's name)")
      .option('--default-branch <branch>', 'name of the default branch', 'main')
      .option('--s3-endpoint <url>', 'S3-compatible endpoint, when not AWS'),
  handler: async () => (await import('../handlers/init.js')).run,
});
