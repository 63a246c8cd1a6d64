// `sluice quickstart [DIR]`: declared here; ../handlers/quickstart.ts runs it.
import { defineCommand } from '../define.js';

export const quickstart = defineCommand({
  name: 'quickstart',
  description:
    'create a demo repository in DIR and play the workflow: loads from a REST API, a refused batch, staging, blue/green deploys, a rollback, outcome metrics',
  writes: 'repository',
  configure: (cmd) =>
    cmd.argument(
      '[dir]',
      'directory to create (must not exist or be empty)',
      './sluice-quickstart',
    ),
  handler: async () => (await import('../handlers/quickstart.js')).run,
});
