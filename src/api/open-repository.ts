// Opening and creating repositories from a directory: reads the config, opens the stores it names,
// and hands back a Repository. This is where the embedded default (SQLite + local disk) is chosen.
// Credentials never go to `.sluice/config.json`: a PostgreSQL password given to init goes to the
// credentials file (credentials.ts, mode 600), S3 keys come from the AWS environment only.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError, RepositoryAlreadyExistsError } from '../common/errors.js';
import { Secrets } from '../common/secrets.js';
import { sluiceYmlOf } from '../common/sluice-yml.js';
import { Repository, type RepositoryOptions } from '../core/repository.js';
import { setRepositoryDuck } from '../engine/duck-options.js';
import type { DuckOptions } from '../engine/duckdb.js';
import { registerRepositoryDir } from '../engine/session.js';
import type { MetaStore } from '../meta/meta-store.js';
import { openMetaStore } from '../meta/open-meta.js';
import { splitPgPassword } from '../meta/postgres-connection.js';
import type { ObjectStore } from '../storage/object-store.js';
import { openObjectStore } from '../storage/open-store.js';
import { readCredentials, writeCredentials, writePrivateFile } from './credentials.js';
import { configPath, findRepoDir, type RepoConfig, readConfig, SLUICE_DIR } from './repo-config.js';

export interface InitOptions extends RepositoryOptions {
  /** A local directory or `s3://bucket/prefix`; default `.sluice/objects`. */
  storage?: string;
  /** `sqlite` (default) or a `postgres://` URL. */
  meta?: string;
  /** Repository name in the MetaStore; default the directory's name. */
  name?: string;
  defaultBranch?: string;
  s3Endpoint?: string;
}

/** Opens the stores `config` names; `password`: the MetaStore's (else the credentials file's). */
async function openStores(
  dir: string,
  config: RepoConfig,
  password?: string,
): Promise<{ meta: MetaStore; store: ObjectStore }> {
  const sluiceDir = join(dir, SLUICE_DIR);
  const metaPassword =
    password ?? (config.meta === 'sqlite' ? undefined : readCredentials(sluiceDir)?.meta?.password);
  const storageUri =
    config.storage.startsWith('s3://') || isAbsolute(config.storage)
      ? config.storage
      : join(sluiceDir, config.storage);
  const meta = await openMetaStore(
    config.meta === 'sqlite' ? `sqlite:${join(sluiceDir, 'meta.db')}` : config.meta,
    sluiceDir,
    metaPassword === undefined ? {} : { password: metaPassword },
  );
  try {
    const store = await openObjectStore(storageUri, { s3: { endpoint: config.s3Endpoint } });
    return { meta, store };
  } catch (err) {
    await meta.close();
    throw err;
  }
}

/** Creates a repository in `dir` (which may not exist yet). Nothing is left behind on failure. */
export async function initRepository(dir: string, opts: InitOptions = {}): Promise<Repository> {
  const root = resolve(dir);
  if (existsSync(configPath(root))) {
    throw new RepositoryAlreadyExistsError(`${root} is already a sluice repository`, {
      repository: root,
    });
  }
  const metaSpec = opts.meta ?? 'sqlite';
  if (metaSpec !== 'sqlite' && !/^postgres(ql)?:\/\//.test(metaSpec)) {
    throw new InvalidArgumentError(
      `--meta must be "sqlite" or a postgres:// URL, not ${new Secrets().addUrl(metaSpec).scrub(metaSpec)}`,
      {
        argument: 'meta',
        reason: 'unknown metadata store',
      },
    );
  }
  checkNoCredentials(opts.s3Endpoint);
  // The password is kept out of config.json: the credentials file holds it.
  const { url: metaUrl, password } =
    metaSpec === 'sqlite' ? { url: metaSpec, password: undefined } : splitPgPassword(metaSpec);
  const storage = opts.storage
    ? opts.storage.startsWith('s3://')
      ? opts.storage
      : resolve(opts.storage)
    : 'objects';
  const config: RepoConfig = {
    version: 1,
    repository: opts.name ?? (basename(root) || 'repo'),
    storage,
    meta: metaUrl,
    ...(opts.s3Endpoint ? { s3Endpoint: opts.s3Endpoint } : {}),
  };
  const sluiceDir = join(root, SLUICE_DIR);
  const createdDir = !existsSync(sluiceDir);
  mkdirSync(sluiceDir, { recursive: true });
  try {
    const { meta, store } = await openStores(root, config, password);
    try {
      const repo = await Repository.init(meta, store, {
        name: config.repository,
        defaultBranch: opts.defaultBranch,
        committer: opts.committer,
      });
      if (password !== undefined) writeCredentials(sluiceDir, { version: 1, meta: { password } });
      writePrivateFile(configPath(root), `${JSON.stringify(config, null, 2)}\n`);
      registerRepositoryDir(repo, sluiceDir);
      await equip(repo, root);
      return repo;
    } catch (err) {
      await meta.close();
      await store.close();
      throw err;
    }
  } catch (err) {
    if (createdDir) rmSync(sluiceDir, { recursive: true, force: true });
    throw err;
  }
}

/** An S3 endpoint with user info would put a key in config.json: keys come from the environment. */
function checkNoCredentials(endpoint: string | undefined): void {
  if (endpoint === undefined) return;
  let u: URL | undefined;
  try {
    u = new URL(endpoint);
  } catch {}
  if (u !== undefined && u.username === '' && u.password === '') return;
  throw new InvalidArgumentError(
    u === undefined
      ? '--s3-endpoint is not a URL'
      : '--s3-endpoint must not hold credentials: S3 keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)',
    { argument: 's3-endpoint', reason: u === undefined ? 'not a URL' : 'holds credentials' },
  );
}

/**
 * A repository made by a Sluice that kept the PostgreSQL password in `config.json` (in the `meta`
 * URL) has it moved on first open: to the credentials file, then `config.json` rewritten without
 * it — both mode 600. When the files cannot be written (another user's repository), the
 * repository opens as before, with the password where it was.
 */
function movePasswordOutOfConfig(root: string, config: RepoConfig): RepoConfig {
  if (config.meta === 'sqlite') return config;
  const { url, password } = splitPgPassword(config.meta);
  if (password === undefined) return config;
  const sluiceDir = join(root, SLUICE_DIR);
  const moved: RepoConfig = { ...config, meta: url };
  try {
    // The URL's password was the one used (before PGPASSWORD and the credentials file): keep it.
    writeCredentials(sluiceDir, { ...readCredentials(sluiceDir), version: 1, meta: { password } });
    writePrivateFile(configPath(root), `${JSON.stringify(moved, null, 2)}\n`);
  } catch {
    return config;
  }
  return moved;
}

export interface OpenOptions extends RepositoryOptions {
  cwd?: string;
  /**
   * DuckDB settings for every operation on this handle (the CLI's `--memory-limit`), over the
   * `duckdb:` section of the repository's sluice.yml, over the machine's defaults.
   */
  duck?: DuckOptions;
}

/** Opens the repository at `dir`, or found from $SLUICE_REPO / the current directory upward. */
export async function openRepository(dir?: string, opts: OpenOptions = {}): Promise<Repository> {
  const root = findRepoDir(dir, opts.cwd);
  const config = movePasswordOutOfConfig(root, readConfig(root));
  const { meta, store } = await openStores(root, config);
  try {
    const repo = await Repository.open(meta, store, config.repository, opts);
    registerRepositoryDir(repo, join(root, SLUICE_DIR));
    await equip(repo, root, opts.duck);
    return repo;
  } catch (err) {
    await meta.close();
    await store.close();
    throw err;
  }
}

/**
 * What every handle on a repository carries, however it was made (init or open): DuckDB's settings
 * (sluice.yml's `duckdb:` section, `duck` over it) and the write policy — branch protection and
 * merge gates, the rules the repository publishes on its default branch (read when a write asks)
 * joined with the directory's own sluice.yml. The file's readers (YAML, zod) load only for a
 * directory that has one — and it is read now, so a mistake in it is reported by every command.
 */
export async function equip(
  repo: Repository,
  root: string | undefined,
  duck?: DuckOptions,
): Promise<void> {
  const hasFile = root !== undefined && sluiceYmlOf(root) !== undefined;
  const fromFile = hasFile
    ? (await import('../engine/duck-settings.js')).loadDuckSettings(root as string)
    : undefined;
  setRepositoryDuck(repo, { ...fromFile, ...duck });
  const { Gates } = await import('../quality/gates.js');
  const local = hasFile
    ? (await import('../quality/gate-config.js')).loadProjectConfig(root as string)
    : undefined;
  Gates.install(repo, {
    ...(root !== undefined ? { dir: root } : {}),
    ...(local ? { config: local } : {}),
  });
}
