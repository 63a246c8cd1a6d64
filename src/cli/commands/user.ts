// `sluice user create | list | delete`: declared here; ../handlers/user.ts runs them.
import { defineCommand, defineGroup, repeatable } from '../define.js';

const create = defineCommand({
  name: 'create',
  description: 'create a user (a person or a machine) of the server',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'user name (letters, digits, ".", "_", "-", "@"; up to 64)')
      .option('--group <group>', 'a group to join (repeatable): Admins, Developers, …', repeatable)
      .option('--password-stdin', 'read a password (for the web UI) from stdin'),
  handler: async () => (await import('../handlers/user.js')).create,
});

const list = defineCommand({
  name: 'list',
  description: 'list users with their groups',
  writes: 'read',
  handler: async () => (await import('../handlers/user.js')).list,
});

const remove = defineCommand({
  name: 'delete',
  description: 'delete a user with its access keys, memberships and policy attachments',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<name>', 'user name'),
  handler: async () => (await import('../handlers/user.js')).remove,
});

export const user = defineGroup({
  name: 'user',
  description: 'create, list and delete the users of `sluice serve`',
  subcommands: [create, list, remove],
});
