// Routes outside the API: /healthz (the process is alive), /readyz (the metadata store and the
// default repository's object store answer), /metrics (Prometheus). Public: a load balancer and
// Prometheus call them without credentials; they reveal no data.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

async function probe(
  name: string,
  fn: () => Promise<unknown>,
): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    await fn();
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: (err as { code?: string }).code ?? 'unreachable' };
  }
}

export function registerSystemRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/healthz', { config: { permission: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { permission: 'public' }, schema: { hide: true } },
    async (_req, reply) => {
      const checks = await Promise.all([
        probe('metadata', () => ctx.host.meta.listRepositories()),
        probe('objects', async () =>
          (await ctx.host.get(ctx.host.defaultRepository)).store.head('_sluice/readyz'),
        ),
      ]);
      const ready = checks.every((c) => c.ok);
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );
  app.get(
    '/metrics',
    { config: { permission: 'public' }, schema: { hide: true } },
    async (_req, reply) => {
      reply.header('content-type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
