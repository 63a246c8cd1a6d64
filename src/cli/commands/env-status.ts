// `sluice env status`: declared here; ../handlers/env-status.ts runs it.
import { defineCommand, defineGroup } from '../define.js';

export const env = defineGroup({
  name: 'env',
  description: 'environments: staging and blue/green production',
  subcommands: [
    defineCommand({
      name: 'status',
      description: "each environment's commit, colour, age, last deploy and last checks",
      writes: 'read',
      handler: async () => (await import('../handlers/env-status.js')).run,
      remote: async () => (await import('../remote/env-status.js')).run,
    }),
  ],
});
