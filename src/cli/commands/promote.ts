// `sluice promote`: declared here; ../handlers/promote.ts runs it.
import { defineCommand } from '../define.js';

export const promote = defineCommand({
  name: 'promote',
  description:
    "move main's head to staging: apply sampling and masking, build and check it on a candidate branch first",
  writes: 'environment',
  runsSql: true,
  configure: (cmd) => cmd.argument('[environment]', 'the environment to promote to', 'staging'),
  handler: async () => (await import('../handlers/promote.js')).run,
  remote: async () => (await import('../remote/promote.js')).run,
});
