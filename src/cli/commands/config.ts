// `sluice config push | show`: declared here; ../handlers/config.ts runs them.
import { defineCommand, defineGroup } from '../define.js';

const push = defineCommand({
  name: 'push',
  description:
    "publish this directory's rules (sluice.yml's gates and the check files) on the default branch, through its gate",
  writes: 'default-branch',
  configure: (cmd) =>
    cmd.option('-m, --message <message>', 'message of the commit that publishes them'),
  handler: async () => (await import('../handlers/config.js')).push,
});

const show = defineCommand({
  name: 'show',
  description: 'what the repository enforces: its published rules, and what local files add',
  writes: 'read',
  handler: async () => (await import('../handlers/config.js')).show,
});

export const config = defineGroup({
  name: 'config',
  description: 'publish and show the rules every client of the repository enforces',
  subcommands: [push, show],
});
