// `sluice key create | list | revoke`: declared here; ../handlers/key.ts runs them.
import { defineCommand, defineGroup } from '../define.js';

const create = defineCommand({
  name: 'create',
  description: 'create an access key for a user and print it (the secret is shown this once)',
  writes: 'repository',
  configure: (cmd) => cmd.requiredOption('--user <name>', 'whose key it is'),
  handler: async () => (await import('../handlers/key.js')).create,
});

const list = defineCommand({
  name: 'list',
  description: 'list access keys (ids, users, dates — never secrets)',
  writes: 'read',
  configure: (cmd) => cmd.option('--user <name>', "only this user's keys"),
  handler: async () => (await import('../handlers/key.js')).list,
});

const revoke = defineCommand({
  name: 'revoke',
  description: 'revoke an access key: it stops working at once',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<key-id>', 'the access key id (SLK…)'),
  handler: async () => (await import('../handlers/key.js')).revoke,
});

export const key = defineGroup({
  name: 'key',
  description: 'create, list and revoke access keys',
  subcommands: [create, list, revoke],
});
