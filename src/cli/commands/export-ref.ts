// `sluice export-ref`: declared here; ../handlers/export-ref.ts runs it.
import { defineCommand } from '../define.js';

export const exportRef = defineCommand({
  name: 'export-ref',
  description: "write a ref's objects as a plain tree to s3://bucket/prefix or a local directory",
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<ref>', 'branch, tag, alias or commit')
      .argument('<dest>', 's3://bucket/prefix, or a local directory (path or file://)')
      .option('--prefix <folder>', 'only the objects under this folder (written relative to it)')
      .option('--force', 'write into a destination that is not empty (overwrites what the ref has)')
      .option('--concurrency <n>', 'objects written at once (default 8)'),
  handler: async () => (await import('../handlers/export-ref.js')).run,
});
