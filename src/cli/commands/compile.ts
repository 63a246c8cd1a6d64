// `sluice compile`: declared here; ../handlers/compile.ts runs it.
import { defineCommand } from '../define.js';

export const compile = defineCommand({
  name: 'compile',
  description: "render the project's models and print their SQL (nothing runs, nothing is written)",
  writes: 'read',
  configure: (cmd) =>
    cmd
      .option('-s, --select <selector...>', 'models to compile (dbt selector syntax)')
      .option('--exclude <selector...>', 'models to leave out')
      .option('--project <dir>', 'the project directory (default: the repository directory)'),
  handler: async () => (await import('../handlers/compile.js')).run,
});
