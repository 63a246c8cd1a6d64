// `sluice metrics`: declared here; ../handlers/metrics.ts runs it.
import { defineCommand } from '../define.js';

export const metrics = defineCommand({
  name: 'metrics',
  description:
    'outcome metrics from the event log: deployment frequency, lead time, change-failure rate, time to restore',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .option(
        '--since <when>',
        'start of the window: a duration ago (30d, 24h) or an ISO time',
        '30d',
      )
      .option('--until <when>', 'end of the window: a duration ago or an ISO time (default now)')
      .option('--env <environment>', 'the environment deployed to', 'production')
      .option(
        '--html <file>',
        'also write an HTML page with the table and a deploys-per-day chart',
      ),
  handler: async () => (await import('../handlers/metrics.js')).run,
  remote: async () => (await import('../remote/events.js')).metrics,
});
