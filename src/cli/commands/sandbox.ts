// `sluice sandbox create | list | delete`: declared here; ../handlers/sandbox.ts runs them.
import { defineCommand, defineGroup } from '../define.js';

const create = defineCommand({
  name: 'create',
  description: 'create a sandbox: the branch sandbox/NAME, in O(1), from a ref',
  writes: 'ref',
  configure: (cmd) =>
    cmd
      .argument('<name>', 'name of the sandbox (letters, digits, ".", "_", "-")')
      .option('--from <ref>', 'where it starts: any ref (default: the default branch)')
      .option(
        '--ttl <duration>',
        'remove it at the first `sluice gc` after this long (7d, 24h, 30m)',
      )
      .option(
        '--owner <name>',
        'who it belongs to (default: $SLUICE_ACTOR, $SLUICE_USER, the user)',
      )
      .option('--private', 'readable only by its owner and admins (through `sluice serve`)'),
  handler: async () => (await import('../handlers/sandbox.js')).create,
  remote: async () => (await import('../remote/sandbox.js')).create,
});

const list = defineCommand({
  name: 'list',
  description: 'list sandboxes with their age, expiry and state',
  writes: 'read',
  handler: async () => (await import('../handlers/sandbox.js')).list,
  remote: async () => (await import('../remote/sandbox.js')).list,
});

const remove = defineCommand({
  name: 'delete',
  description: 'delete a sandbox: its branch (with uncommitted changes) and its record',
  writes: 'ref',
  configure: (cmd) => cmd.argument('<name>', 'name of the sandbox'),
  handler: async () => (await import('../handlers/sandbox.js')).remove,
  remote: async () => (await import('../remote/sandbox.js')).remove,
});

export const sandbox = defineGroup({
  name: 'sandbox',
  description: 'create, list and delete sandboxes (zero-copy branches sandbox/NAME)',
  subcommands: [create, list, remove],
});
