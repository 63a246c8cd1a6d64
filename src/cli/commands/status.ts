// `sluice status`: declared here; ../handlers/status.ts runs it.
import { branchOption, defineCommand } from '../define.js';

export const status = defineCommand({
  name: 'status',
  description: 'show uncommitted changes on a branch',
  writes: 'read',
  configure: (cmd) => cmd.addOption(branchOption()),
  handler: async () => (await import('../handlers/status.js')).run,
  remote: async () => (await import('../remote/status.js')).run,
});
