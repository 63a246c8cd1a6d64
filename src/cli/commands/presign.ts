// `sluice presign`: declared here; ../remote/presign.ts runs it (it signs a server's URL, so it
// needs one: ../handlers/presign.ts says so when no --remote / SLUICE_REMOTE is given).
import { defineCommand, refOption } from '../define.js';

export const presign = defineCommand({
  name: 'presign',
  description:
    "print a presigned S3 GET URL of an object through the server's S3 gateway, signed with your access key: whoever holds it reads the object until it expires",
  writes: 'read',
  configure: (cmd) =>
    cmd
      .argument('<path>', 'path in the repository')
      .addOption(refOption())
      .option(
        '--expires <duration>',
        'how long the URL works, e.g. 15m, 1h, 7d (default 1h, at most 7d)',
      )
      .option(
        '--region <region>',
        "the region to sign for: the server's --s3-region (default us-east-1)",
      ),
  handler: async () => (await import('../handlers/presign.js')).run,
  remote: async () => (await import('../remote/presign.js')).run,
});
