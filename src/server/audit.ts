// The audit trail: every mutating request becomes a `request` event in the event log of the
// repository it addressed (server-wide requests — users, keys, policies — go to the default
// repository's), with the authenticated actor, the source address and the request id. Refused
// requests (401/403) are recorded too, but at most one per address and status in each window,
// the next one carrying how many were left out: a flood of bad credentials cannot flood the log.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordEvent } from '../index.js';
import type { ServerContext } from './context.js';

const REFUSAL_WINDOW_MS = 10_000;

interface Window {
  until: number;
  suppressed: number;
}

const windows = new WeakMap<ServerContext, Map<string, Window>>();

/** Should this refusal be recorded now? Returns how many were suppressed before it, or false. */
function admitRefusal(ctx: ServerContext, key: string, now: number): number | false {
  let byKey = windows.get(ctx);
  if (!byKey) {
    byKey = new Map();
    windows.set(ctx, byKey);
  }
  const w = byKey.get(key);
  if (w && now < w.until) {
    w.suppressed += 1;
    return false;
  }
  const suppressed = w?.suppressed ?? 0;
  byKey.set(key, { until: now + REFUSAL_WINDOW_MS, suppressed: 0 });
  if (byKey.size > 10_000) byKey.clear();
  return suppressed;
}

function repositoryOf(req: FastifyRequest, ctx: ServerContext): string {
  if (req.s3?.bucket !== undefined) return req.s3.bucket;
  const params = req.params as Record<string, unknown> | undefined;
  const named = params?.repository;
  return typeof named === 'string' ? named : ctx.host.defaultRepository;
}

export async function auditRequest(
  ctx: ServerContext,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const status = reply.statusCode;
  const refused = status === 401 || status === 403;
  let suppressed = 0;
  if (refused) {
    const admitted = admitRefusal(ctx, `${req.ip}:${status}`, Date.now());
    if (admitted === false) return;
    suppressed = admitted;
  }
  const errorCode = (reply as unknown as { sluiceError?: string }).sluiceError;
  try {
    // A request for a repository that does not exist is recorded in the default one.
    const repo = await ctx.host
      .get(repositoryOf(req, ctx))
      .catch(() => ctx.host.get(ctx.host.defaultRepository));
    await recordEvent(repo, {
      type: 'request',
      outcome: status < 400 ? 'success' : status >= 500 ? 'error' : 'failure',
      actor: req.user ?? 'anonymous',
      method: req.method,
      route: req.s3?.operation ? `s3:${req.s3.operation}` : (req.routeOptions.url ?? 'unknown'),
      path: (req.s3 ? req.s3.rawPath : req.url.split('?')[0]) ?? '',
      status,
      requestId: String(req.id),
      sourceAddress: req.ip,
      ...(errorCode ? { errorCode } : {}),
      ...(suppressed > 0 ? { suppressed } : {}),
    });
  } catch (err) {
    // The request has been answered; a log that cannot be written is the operator's to see.
    req.log.error({ err }, 'audit event not recorded');
  }
}
