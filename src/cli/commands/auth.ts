// `sluice auth bootstrap`: declared here; ../handlers/auth.ts runs it.
import { defineCommand, defineGroup } from '../define.js';

const bootstrap = defineCommand({
  name: 'bootstrap',
  description:
    'create the first admin and print its access key (once: refused when an admin exists); creates .sluice/server.key unless $SLUICE_SERVER_KEY is set',
  writes: 'repository',
  configure: (cmd) => cmd.option('--user <name>', 'name of the admin (default: admin)'),
  handler: async () => (await import('../handlers/auth.js')).bootstrap,
});

export const auth = defineGroup({
  name: 'auth',
  description: 'set up access for `sluice serve`: the first admin and its key',
  subcommands: [bootstrap],
});
