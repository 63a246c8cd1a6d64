// `sluice impact`: declared here; ../handlers/impact.ts runs it.
import { branchOption, defineCommand } from '../define.js';

export const impact = defineCommand({
  name: 'impact',
  description:
    'what a branch changes against a base: models, downstream, exposures, breaking columns',
  writes: 'read',
  configure: (cmd) =>
    cmd
      .requiredOption('--base <ref>', 'the ref to compare with (e.g. main)')
      .addOption(branchOption('the branch with the changes (default: the default branch)'))
      .option('--allow-breaking', 'exit 0 even when an exposure is broken')
      .option('--project <dir>', 'the project directory (default: the repository directory)'),
  handler: async () => (await import('../handlers/impact.js')).run,
  remote: async () => (await import('../remote/lineage.js')).impact,
});
