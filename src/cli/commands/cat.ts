// `sluice cat`: declared here; ../handlers/cat.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const cat = defineCommand({
  name: 'cat',
  description: "print an object's content",
  writes: 'read',
  configure: (cmd) => cmd.argument('<path>', 'path in the repository').addOption(refOption()),
  handler: async () => (await import('../handlers/cat.js')).run,
  remote: async () => (await import('../remote/cat.js')).run,
});
