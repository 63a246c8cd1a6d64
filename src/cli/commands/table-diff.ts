// `sluice table diff`: declared here; ../handlers/table-diff.ts runs it.
import { defineCommand } from '../define.js';

export const tableDiff = defineCommand({
  name: 'diff',
  description: 'show how a table differs between two refs: schema, then rows',
  writes: 'read',
  runsSql: true,
  configure: (cmd) =>
    cmd
      .argument('<name>', 'table name')
      .argument('<left>', 'the ref to compare from (branch, tag, commit, main~1)')
      .argument('<right>', 'the ref to compare to')
      .option('--sample <n>', 'rows shown per kind of change (default 5)'),
  handler: async () => (await import('../handlers/table-diff.js')).run,
  remote: async () => (await import('../remote/table.js')).diff,
});
