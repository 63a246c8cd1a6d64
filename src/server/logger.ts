// The server's JSON log (pino through Fastify): one line per request with its id, method, route,
// status and time. Credentials never reach it — request headers are not logged at all, and the
// redaction list covers every place a secret could be nested should a line carry one.
import type { FastifyServerOptions } from 'fastify';

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.secretAccessKey',
  '*.password',
  '*.token',
  'err.data.secret',
];

export function loggerOptions(
  opt: boolean | { level?: string; stream?: NodeJS.WritableStream } | undefined,
): FastifyServerOptions['logger'] {
  if (opt === false) return false;
  const given = typeof opt === 'object' ? opt : {};
  return {
    level: given.level ?? 'info',
    ...(given.stream ? { stream: given.stream } : {}),
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      // Method, path (its query names paths and refs, never secrets), source and id: no headers.
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
