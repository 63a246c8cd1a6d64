// Which requests are the S3 gateway's. One port serves the REST API and the gateway (lakeFS does
// the same), so a request is told apart before routing by what only S3 clients send: an AWS
// signature in the Authorization header or the query (a presigned URL), or a Host under the
// gateway's domain (virtual-host style, `--s3-domain`). Such a request is routed under
// GATEWAY_PREFIX; the rest go to the API as before.
import type { IncomingHttpHeaders } from 'node:http';

/** Where the gateway's routes are mounted (the URL a client sent stays in `originalUrl`). */
export const GATEWAY_PREFIX = '/_s3';

const SIGNED_QUERY = /[?&](X-Amz-Algorithm|X-Amz-Credential|X-Amz-Signature|AWSAccessKeyId)=/i;

/** The bucket named by a virtual-host style Host (`repo.s3.example.com`), if any. */
export function virtualHostBucket(
  host: string | undefined,
  domain: string | undefined,
): string | undefined {
  if (!host || !domain) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const suffix = `.${domain.toLowerCase()}`;
  if (!name.endsWith(suffix) || name.length === suffix.length) return undefined;
  return name.slice(0, -suffix.length);
}

export function isS3Request(
  req: { url?: string; headers: IncomingHttpHeaders },
  domain?: string,
): boolean {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && (auth.startsWith('AWS4-') || auth.startsWith('AWS ')))
    return true;
  if (SIGNED_QUERY.test(req.url ?? '')) return true;
  if (virtualHostBucket(req.headers.host, domain) !== undefined) return true;
  // An S3 client's unsigned request (an anonymous read) still says so in its headers.
  return (
    req.headers['x-amz-content-sha256'] !== undefined || req.headers['x-amz-date'] !== undefined
  );
}

/** Fastify's rewriteUrl: S3 requests are routed under GATEWAY_PREFIX. */
export function gatewayRewrite(domain?: string) {
  return (req: { url?: string; headers: IncomingHttpHeaders }): string => {
    const url = req.url ?? '/';
    return isS3Request(req, domain)
      ? `${GATEWAY_PREFIX}${url.startsWith('/') ? '' : '/'}${url}`
      : url;
  };
}
