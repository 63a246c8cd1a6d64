// `sluice check`: declared here; ../handlers/check.ts runs it.
import { defineCommand, refOption } from '../define.js';
import { checkHistory } from './check-history.js';
import { checkImportGe } from './check-import-ge.js';
import { checkSuggest } from './check-suggest.js';

export const check = defineCommand({
  name: 'check',
  description: 'run the quality checks of checks/*.yml and models/*.yml on the tables at a ref',
  writes: 'repository',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .addOption(refOption())
      .option('--table <name>', 'only the checks of this table')
      .option(
        '--project <dir>',
        'where checks/ and models/ are (default: the repository directory)',
      )
      .option('--sample <n>', 'failing rows shown per check (default 5)')
      .option('--no-store', 'do not record the results and profiles in the repository')
      .option('--html <file>', 'also write the data docs of the run (one HTML page) to this file'),
  handler: async () => (await import('../handlers/check.js')).run,
  remote: async () => (await import('../remote/check.js')).run,
  subcommands: [checkHistory, checkImportGe, checkSuggest],
});
