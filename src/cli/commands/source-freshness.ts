// `sluice source freshness`: declared here; ../handlers/source-freshness.ts runs it.
import { defineCommand, defineGroup, refOption } from '../define.js';

export const source = defineGroup({
  name: 'source',
  description: "the project's sources",
  subcommands: [
    defineCommand({
      name: 'freshness',
      description:
        "check each source's newest loaded_at_field against its freshness (warn_after / error_after)",
      writes: 'read',
      runsSql: true,
      configure: (cmd) =>
        cmd
          .addOption(refOption())
          .option('-s, --select <selector...>', 'sources to check (source:NAME, source:NAME.TABLE)')
          .option('--exclude <selector...>', 'sources to leave out')
          .option('--project <dir>', 'the project directory (default: the repository directory)')
          .option('--no-artifacts', 'do not write target/sources.json'),
      handler: async () => (await import('../handlers/source-freshness.js')).run,
    }),
  ],
});
