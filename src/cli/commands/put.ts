// `sluice put`: declared here; ../handlers/put.ts runs it.
import { defineCommand, repeatable } from '../define.js';

export const put = defineCommand({
  name: 'put',
  description: 'stage a file at DEST, or a directory recursively under the prefix DEST',
  writes: 'branch',
  configure: (cmd) =>
    cmd
      .argument('<src>', 'local file or directory')
      .argument('<dest>', 'path (file) or prefix (directory) in the repository')
      .option(
        '--content-type <type>',
        'content type of every object (default: guessed from the name)',
      )
      .option('--meta <key=value>', 'user metadata on every object (repeatable)', repeatable)
      .option(
        '--follow-symlinks',
        'in a directory, also follow symbolic links that lead outside it (default: skip them)',
      ),
  handler: async () => (await import('../handlers/put.js')).run,
  remote: async () => (await import('../remote/put.js')).run,
});
