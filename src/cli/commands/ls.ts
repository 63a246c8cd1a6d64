// `sluice ls`: declared here; ../handlers/ls.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const ls = defineCommand({
  name: 'ls',
  description: 'list objects (size, checksum, path); directories end with "/"',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('[prefix]', 'directory or key prefix')
      .option('-r, --recursive', 'list every object below the prefix')
      .addOption(refOption()),
  handler: async () => (await import('../handlers/ls.js')).run,
  remote: async () => (await import('../remote/ls.js')).run,
});
