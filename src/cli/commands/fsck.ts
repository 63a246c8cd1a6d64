// `sluice fsck`: declared here; ../handlers/fsck.ts runs it.
import { defineCommand } from '../define.js';

export const fsck = defineCommand({
  name: 'fsck',
  description: 'verify the repository: refs, commits, tree nodes and object contents',
  writes: 'read',
  configure: (cmd) =>
    cmd.option('--no-data', 'check that objects exist without reading their contents'),
  handler: async () => (await import('../handlers/fsck.js')).run,
});
