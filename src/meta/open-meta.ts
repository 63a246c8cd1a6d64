// Picks the MetaStore from a spec string, as found in config or on the command line.
import { join } from 'node:path';
import { InvalidArgumentError } from '../common/errors.js';
import { Secrets } from '../common/secrets.js';
import type { MetaStore } from './meta-store.js';

export interface OpenMetaOptions {
  /** PostgreSQL: the password when neither the URL nor PGPASSWORD gives one (see pgPassword). */
  password?: string;
}

/**
 * `sqlite:<file>`, bare `sqlite` (meaning `<repoDir>/meta.db`), or a `postgres://` /
 * `postgresql://` URL.
 */
export async function openMetaStore(
  spec: string,
  repoDir?: string,
  opts: OpenMetaOptions = {},
): Promise<MetaStore> {
  if (spec === 'sqlite') {
    if (repoDir === undefined) throw invalid(spec, 'bare "sqlite" needs a repository directory');
    const { openSqliteMetaStore } = await import('./sqlite-meta-store.js');
    return openSqliteMetaStore(join(repoDir, 'meta.db'));
  }
  if (spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (file === '') throw invalid(spec, 'missing file after "sqlite:"');
    const { openSqliteMetaStore } = await import('./sqlite-meta-store.js');
    return openSqliteMetaStore(file);
  }
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
    const { openPostgresMetaStore } = await import('./postgres-meta-store.js');
    return openPostgresMetaStore(spec, opts);
  }
  throw invalid(spec, 'expected sqlite, sqlite:<file>, or a postgres:// URL');
}

function invalid(spec: string, reason: string): InvalidArgumentError {
  const shown = new Secrets().addUrl(spec).scrub(spec);
  return new InvalidArgumentError(`invalid metadata store "${shown}": ${reason}`, {
    argument: 'meta',
    reason,
  });
}
