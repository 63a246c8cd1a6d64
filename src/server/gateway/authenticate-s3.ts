// Who signed a gateway request: AWS Signature V4 (header or presigned URL) checked against the
// server's access keys — the same keys the API takes as HTTP Basic. Failures count against the
// address and the key like the API's (failure-limiter.ts): a guessing client is slowed down
// (SlowDown) before it learns anything.
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { S3Error } from './s3-errors.js';
import type { S3Request } from './s3-request.js';
import { type VerifiedRequest, verifySigV4 } from './sigv4/index.js';

const CREDENTIAL = /Credential=([A-Za-z0-9]+)\//;

/** The access key id a request claims (for the failure limiter), if any. */
function claimedKey(s3: S3Request): string {
  const header = s3.headers.authorization;
  const m = typeof header === 'string' ? CREDENTIAL.exec(header) : null;
  if (m?.[1]) return m[1];
  const q = s3.query.get('X-Amz-Credential');
  return q ? (q.split('/')[0] ?? 'none') : 'none';
}

export async function authenticateS3(
  ctx: ServerContext,
  req: FastifyRequest,
  s3: S3Request,
): Promise<VerifiedRequest> {
  const keys = [`addr:${req.ip}`, `key:${claimedKey(s3)}`];
  const wait = ctx.limiter.retryAfter(keys);
  if (wait > 0)
    throw new S3Error('SlowDown', `Too many failed signatures; try again in ${wait} s.`);
  try {
    return await verifySigV4(
      { method: s3.method, rawPath: s3.rawPath, rawQuery: s3.rawQuery, headers: s3.headers },
      (id) => ctx.auth.secretOf(id),
    );
  } catch (err) {
    if (err instanceof S3Error && (err.status === 403 || err.status === 400))
      ctx.limiter.record(keys);
    throw err;
  }
}
