// `sluice import`: declared here; ../handlers/import.ts runs it.
import { defineCommand } from '../define.js';

export const importCmd = defineCommand({
  name: 'import',
  description:
    'record the objects of an S3 prefix or a local directory on a branch without copying them, and commit',
  writes: 'branch',
  branchHelp: 'branch to import to (default: the default branch); --to BRANCH[:PREFIX] too',
  configure: (cmd) =>
    cmd
      .argument('<source>', 's3://bucket/prefix, or a local directory (path or file://)')
      .option('--to <branch[:prefix]>', 'branch, and the folder on it the objects go under')
      .option('-m, --message <message>', 'commit message (default: "import SOURCE")'),
  handler: async () => (await import('../handlers/import.js')).run,
});
