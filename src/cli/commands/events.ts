// `sluice events`: declared here; ../handlers/events.ts runs it.
import { defineCommand } from '../define.js';

export const events = defineCommand({
  name: 'events',
  description:
    'the event log: loads, checks, merges, builds, promotions, deploys, rollbacks, alerts, and the server’s requests (the audit log)',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .option('--since <when>', 'only events since a duration ago (7d, 24h, 30m) or an ISO time')
      .option('--until <when>', 'only events before a duration ago or an ISO time')
      .option(
        '--type <types>',
        'only these types, comma-separated: load, check, merge, build, promote, deploy, rollback, alert, config, request (the server’s audit of requests)',
      )
      .option('-n, --limit <n>', 'only the newest N events')
      .option('--actor <name>', 'only events by this actor (a user of the server, an ingestor …)'),
  handler: async () => (await import('../handlers/events.js')).run,
  remote: async () => (await import('../remote/events.js')).events,
});
