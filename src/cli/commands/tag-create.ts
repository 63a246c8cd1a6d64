// `sluice tag create`: declared here; ../handlers/tag-create.ts runs it.
import { defineCommand } from '../define.js';

export const tagCreate = defineCommand({
  name: 'create',
  description: 'tag a commit',
  writes: 'ref',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'name of the tag')
      .argument('[ref]', 'what to tag (default: the default branch)'),
  handler: async () => (await import('../handlers/tag-create.js')).run,
  remote: async () => (await import('../remote/tag-create.js')).run,
});
