// `sluice policy create | list | show | delete | attach | detach`: declared here;
// ../handlers/policy.ts runs them.
import { defineCommand, defineGroup } from '../define.js';

const create = defineCommand({
  name: 'create',
  description: 'create or replace a policy from a JSON document {"statements": […]}',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'policy name')
      .requiredOption('--file <file>', 'the policy document (JSON), or - for stdin'),
  handler: async () => (await import('../handlers/policy.js')).create,
});

const list = defineCommand({
  name: 'list',
  description: 'list policies (built-in ones included)',
  writes: 'read',
  handler: async () => (await import('../handlers/policy.js')).list,
});

const show = defineCommand({
  name: 'show',
  description: "print a policy's statements",
  writes: 'read',
  configure: (cmd) => cmd.argument('<name>', 'policy name'),
  handler: async () => (await import('../handlers/policy.js')).show,
});

const remove = defineCommand({
  name: 'delete',
  description: 'delete a policy (not a built-in one) and its attachments',
  writes: 'repository',
  configure: (cmd) => cmd.argument('<name>', 'policy name'),
  handler: async () => (await import('../handlers/policy.js')).remove,
});

const attach = defineCommand({
  name: 'attach',
  description: 'attach a policy to a user or a group',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'policy name')
      .option('--user <user>', 'to this user')
      .option('--group <group>', 'to this group'),
  handler: async () => (await import('../handlers/policy.js')).attach,
});

const detach = defineCommand({
  name: 'detach',
  description: 'detach a policy from a user or a group',
  writes: 'repository',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'policy name')
      .option('--user <user>', 'from this user')
      .option('--group <group>', 'from this group'),
  handler: async () => (await import('../handlers/policy.js')).detach,
});

export const policy = defineGroup({
  name: 'policy',
  description: 'create, show and attach permission policies (allow/deny statements)',
  subcommands: [create, list, show, remove, attach, detach],
});
