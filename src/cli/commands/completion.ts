// `sluice completion bash|zsh`: declared here; ../handlers/completion.ts runs it.
import { defineCommand } from '../define.js';

export const completion = defineCommand({
  name: 'completion',
  description:
    'print a shell completion script: eval "$(sluice completion bash)" (or zsh) in your shell rc',
  writes: 'read',
  configure: (cmd) => cmd.argument('<shell>', 'bash or zsh'),
  handler: async () => (await import('../handlers/completion.js')).run,
});
