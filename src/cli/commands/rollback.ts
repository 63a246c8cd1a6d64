// `sluice rollback`: declared here; ../handlers/rollback.ts runs it.
import { defineCommand } from '../define.js';

export const rollback = defineCommand({
  name: 'rollback',
  description: 'flip the production alias back to an earlier deploy (default: the previous one)',
  writes: 'environment',
  configure: (cmd) =>
    cmd
      .argument('[environment]', 'the environment to roll back', 'production')
      .option('--to <deploy-id>', 'restore this deploy (see sluice events --type deploy)')
      .option(
        '--detected-at <when>',
        'when the problem was noticed — a duration ago (15m, 2h) or an ISO time; time to restore counts from it (default: now)',
      ),
  handler: async () => (await import('../handlers/rollback.js')).run,
  remote: async () => (await import('../remote/rollback.js')).run,
});
