// `sluice rm`: declared here; ../handlers/rm.ts runs it.
import { defineCommand } from '../define.js';

export const rm = defineCommand({
  name: 'rm',
  description: 'remove objects from a branch (staged until commit)',
  writes: 'branch',
  configure: (cmd) =>
    cmd
      .argument('<paths...>', 'paths to remove')
      .option('-r, --recursive', 'also remove everything under each path'),
  handler: async () => (await import('../handlers/rm.js')).run,
  remote: async () => (await import('../remote/rm.js')).run,
});
