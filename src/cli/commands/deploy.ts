// `sluice deploy`: declared here; ../handlers/deploy.ts runs it.
import { defineCommand } from '../define.js';

export const deploy = defineCommand({
  name: 'deploy',
  description:
    'blue/green: put staging on the idle colour, run the smoke checks there, flip the alias if they pass',
  writes: 'environment',
  runsSql: true,
  configure: (cmd) => cmd.argument('[environment]', 'the environment to deploy', 'production'),
  handler: async () => (await import('../handlers/deploy.js')).run,
  remote: async () => (await import('../remote/deploy.js')).run,
});
