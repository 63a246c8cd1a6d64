// Who am I, and what is this server: the default repository a client uses when it names none,
// and the version.
import * as z from 'zod';
import type { ServerContext } from '../context.js';
import type { ApiRoutes } from './index.js';
import { withErrors } from './schemas.js';

export function registerServerInfoRoutes(
  api: ApiRoutes,
  ctx: ServerContext,
  version: string,
): void {
  api.get(
    '/server',
    {
      schema: {
        summary: 'The server: its version and default repository',
        tags: ['server'],
        response: withErrors({
          200: z.object({ version: z.string(), defaultRepository: z.string() }),
        }),
      },
      config: { permission: 'authenticated' },
    },
    async () => ({ version, defaultRepository: ctx.host.defaultRepository }),
  );
  api.get(
    '/user',
    {
      schema: {
        summary: 'The signed-in user and its groups',
        tags: ['auth'],
        response: withErrors({ 200: z.object({ name: z.string(), groups: z.array(z.string()) }) }),
      },
      config: { permission: 'authenticated' },
    },
    async (req) => ({ name: req.user as string, groups: [...(req.subject?.groups ?? [])] }),
  );
}
