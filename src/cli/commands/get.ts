// `sluice get`: declared here; ../handlers/get.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const get = defineCommand({
  name: 'get',
  description: 'download the object at PATH to the local file DEST (or into the directory DEST)',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<path>', 'path in the repository')
      .argument('<dest>', 'local file or directory')
      .addOption(refOption()),
  handler: async () => (await import('../handlers/get.js')).run,
  remote: async () => (await import('../remote/get.js')).run,
});
