// `sluice/server`: the team server as a library — the app (buildServer, for tests and embedding),
// startServer (listen, TLS, graceful stop, singleton work under the leader lease) and the
// singleton tasks `sluice serve` runs. The CLI's `serve` command starts it through this entry.
export { API_PREFIX, buildServer, type ServerOptions } from './app.js';
export type { Authenticator } from './authenticate.js';
export type { GatewayOptions } from './gateway/index.js';
export { presignUrl } from './gateway/sigv4/index.js';
export {
  DEFAULT_LEASE_RETRY_MS,
  type LeaderLog,
  type Leadership,
  type SingletonTask,
  startLeadership,
} from './leader.js';
export {
  DEFAULT_BIND,
  DEFAULT_PORT,
  isLoopback,
  type RunningServer,
  type ServeOptions,
  type SignalTarget,
  startServer,
} from './serve.js';
export { GC_LEASE, gcTask, SCHEDULER_LEASE, schedulerTask } from './singleton-tasks.js';
