// `sluice load NAME [-b BRANCH]`: declared here; ../handlers/load.ts runs it.
import { defineCommand } from '../define.js';

export const load = defineCommand({
  name: 'load',
  description:
    'run an ingestor once: write to ingest/NAME/RUN-ID, run the checks, merge if they pass',
  writes: 'branch',
  runsSql: true,
  branchHelp: "merge into this branch instead of the ingestor's `into`",
  configure: (cmd) =>
    cmd
      .argument('<name>', 'the ingestor (sluice.yml ingestors: or ingestors/*.yml)')
      .option('--into <branch>', 'same as --branch')
      .option(
        '--idempotency-key <key>',
        'a retry with the same key loads nothing and answers with the run that landed',
      ),
  handler: async () => (await import('../handlers/load.js')).run,
  remote: async () => (await import('../remote/load.js')).run,
});
