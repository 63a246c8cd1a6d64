// `sluice show`: declared here; ../handlers/show.ts runs it.
import { defineCommand } from '../define.js';

export const show = defineCommand({
  name: 'show',
  description: 'show a commit and its changes against its first parent',
  writes: 'read',
  configure: (cmd) => cmd.argument('[ref]', 'commit to show (default: the default branch)'),
  handler: async () => (await import('../handlers/show.js')).run,
  remote: async () => (await import('../remote/show.js')).run,
});
