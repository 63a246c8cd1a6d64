// `sluice tag delete`: declared here; ../handlers/tag-delete.ts runs it.
import { defineCommand } from '../define.js';

export const tagDelete = defineCommand({
  name: 'delete',
  description: 'delete a tag',
  writes: 'ref',
  configure: (cmd) => cmd.argument('<name>', 'tag to delete'),
  handler: async () => (await import('../handlers/tag-delete.js')).run,
  remote: async () => (await import('../remote/tag-delete.js')).run,
});
