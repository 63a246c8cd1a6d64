// `sluice tag list`: declared here; ../handlers/tag-list.ts runs it.
import { defineCommand } from '../define.js';

export const tagList = defineCommand({
  name: 'list',
  description: 'list tags',
  writes: 'read',
  configure: (cmd) => cmd.option('--prefix <prefix>', 'only tags whose name starts with this'),
  handler: async () => (await import('../handlers/tag-list.js')).run,
  remote: async () => (await import('../remote/tag-list.js')).run,
});
