// `sluice branch list`: declared here; ../handlers/branch-list.ts runs it.
import { defineCommand } from '../define.js';

export const branchList = defineCommand({
  name: 'list',
  description: 'list branches',
  writes: 'read',
  configure: (cmd) => cmd.option('--prefix <prefix>', 'only branches whose name starts with this'),
  handler: async () => (await import('../handlers/branch-list.js')).run,
  remote: async () => (await import('../remote/branch-list.js')).run,
});
