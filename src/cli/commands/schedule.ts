// `sluice schedule`: declared here; ../handlers/schedule.ts runs it.
import { defineCommand } from '../define.js';

export const schedule = defineCommand({
  name: 'schedule',
  description:
    'run the scheduled ingestors (and builds) on their cron schedules, in the foreground',
  writes: 'environment',
  runsSql: true,
  configure: (cmd) =>
    cmd.option('--only <job...>', 'only these jobs (ingestor names, or build:BRANCH)'),
  handler: async () => (await import('../handlers/schedule.js')).run,
});
