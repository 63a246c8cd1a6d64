// Every route of /api/v1, one module per resource. Each route declares its schema (validation and
// the OpenAPI document) and its permission (route-config.ts).

import { createRequire } from 'node:module';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServerContext } from '../context.js';
import { registerBranchRoutes } from './branches.js';
import { registerBuildRoutes } from './builds.js';
import { registerCheckRoutes } from './checks.js';
import { registerCommitRoutes } from './commits.js';
import { registerEnvironmentRoutes } from './environments.js';
import { registerEventRoutes } from './events.js';
import { registerLineageRoutes } from './lineage.js';
import { registerLoadRoutes } from './loads.js';
import { registerMergeRoutes } from './merges.js';
import { registerObjectRoutes } from './objects.js';
import { registerRepositoryRoutes } from './repositories.js';
import { registerRunRoutes } from './runs.js';
import { registerSandboxRoutes } from './sandboxes.js';
import { registerServerInfoRoutes } from './server-info.js';
import { registerSqlRoutes } from './sql.js';
import { registerTableRoutes } from './tables.js';
import { registerTagAliasRoutes } from './tags-aliases.js';

export type ApiRoutes = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

function version(): string {
  try {
    return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function registerRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>() as ApiRoutes;
  api.get('/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  registerServerInfoRoutes(api, ctx, version());
  registerRepositoryRoutes(api, ctx);
  registerBranchRoutes(api, ctx);
  registerObjectRoutes(api, ctx);
  registerCommitRoutes(api, ctx);
  registerMergeRoutes(api, ctx);
  registerTagAliasRoutes(api, ctx);
  registerTableRoutes(api, ctx);
  registerSqlRoutes(api, ctx);
  registerLineageRoutes(api, ctx);
  registerEventRoutes(api, ctx);
  registerSandboxRoutes(api, ctx);
  registerRunRoutes(api, ctx);
  registerCheckRoutes(api, ctx);
  registerBuildRoutes(api, ctx);
  registerLoadRoutes(api, ctx);
  registerEnvironmentRoutes(api, ctx);
}
