// What every route of one server shares: the repositories it serves, the identity layer, the
// failure limiter, metrics, and the long-running operations it started. Built once by app.ts and
// handed to each route module.
import type { RepositoryHost } from '../internal.js';
import type { Authenticator } from './authenticate.js';
import type { FailureLimiter } from './failure-limiter.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerRuns } from './runs.js';

export interface ServerContext {
  host: RepositoryHost;
  auth: Authenticator;
  limiter: FailureLimiter;
  metrics: ServerMetrics;
  /** Largest object body a PUT may stream, in bytes. */
  objectBodyLimit: number;
  /** The long operations this process runs (their state lives in the metadata store). */
  runs: ServerRuns;
  /**
   * The project directory (sluice.yml, models/, checks/) of a repository, from the server's own
   * configuration — never from a request. Throws when the repository has none on this server.
   */
  projectDirOf(repository: string): string;
}
