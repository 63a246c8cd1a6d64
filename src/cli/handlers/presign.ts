// `sluice presign` without a server: a presigned URL is the server's S3 gateway's, signed with an
// access key of that server — there is nothing to sign locally. Refused, saying what to give.
import { InvalidArgumentError } from '../../index.js';
import type { CommandContext } from '../runner.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new InvalidArgumentError(
    'sluice presign signs a URL of a server’s S3 gateway: give --remote URL (or set SLUICE_REMOTE) and your access key (SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY, or ~/.sluice/credentials)',
    { argument: '--remote', reason: 'no server' },
  );
}
