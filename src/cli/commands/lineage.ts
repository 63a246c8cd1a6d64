// `sluice lineage [NODE]`: declared here; ../handlers/lineage.ts runs it.
import { defineCommand, refOption } from '../define.js';

export const lineage = defineCommand({
  name: 'lineage',
  description: 'sources → models → exposures, column by column where the SQL allows it',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('[node]', 'only what this node depends on and what depends on it')
      .addOption(refOption())
      .option('--dot', 'print the graph in Graphviz DOT')
      .option('--project <dir>', 'the project directory (default: the repository directory)'),
  handler: async () => (await import('../handlers/lineage.js')).run,
  remote: async () => (await import('../remote/lineage.js')).lineage,
});
