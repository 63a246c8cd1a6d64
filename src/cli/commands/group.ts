// `sluice group create | list | delete | add-member | remove-member`: declared here;
// ../handlers/group.ts runs them.
import { defineCommand, defineGroup } from '../define.js';

const create = defineCommand({
  name: 'create',
  description: 'create a group (attach policies to it with `sluice policy attach`)',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<name>', 'group name'),
  handler: async () => (await import('../handlers/group.js')).create,
});

const list = defineCommand({
  name: 'list',
  description: 'list groups with their members',
  writes: 'read',
  handler: async () => (await import('../handlers/group.js')).list,
});

const remove = defineCommand({
  name: 'delete',
  description: 'delete a group (not a built-in one) with its memberships and attachments',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<name>', 'group name'),
  handler: async () => (await import('../handlers/group.js')).remove,
});

const addMember = defineCommand({
  name: 'add-member',
  description: 'add a user to a group',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<group>', 'group name').argument('<user>', 'user name'),
  handler: async () => (await import('../handlers/group.js')).addMember,
});

const removeMember = defineCommand({
  name: 'remove-member',
  description: 'remove a user from a group',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<group>', 'group name').argument('<user>', 'user name'),
  handler: async () => (await import('../handlers/group.js')).removeMember,
});

export const group = defineGroup({
  name: 'group',
  description: 'create, list and delete groups, and their members',
  subcommands: [create, list, remove, addMember, removeMember],
});
