// Every repository one metadata database holds, served by one process: the server's view of a
// PostgreSQL database with several repositories (or of an embedded directory, which holds one
// unless more are created beside it). Handles are opened on demand from the catalog and kept, so a
// repository another replica created is found on the next request; nothing here is state another
// process must see. The metadata store is shared; each repository has its own object store.
import { join } from 'node:path';
import { InvalidArgumentError } from '../common/errors.js';
import { parseBranchName } from '../common/ids.js';
import { Repository } from '../core/repository.js';
import { registerRepositoryDir } from '../engine/session.js';
import type { MetaStore, RepositoryRecord } from '../meta/meta-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { openObjectStore } from '../storage/open-store.js';
import { equip, type OpenOptions, openRepository } from './open-repository.js';
import { findRepoDir, readConfig, SLUICE_DIR } from './repo-config.js';

export interface CreateRepositoryInput {
  name: string;
  /**
   * `s3://bucket/prefix` for the repository's objects. Required when the served repository lives
   * on S3; on an embedded one the default is a folder beside it, and local paths are refused (a
   * client must not choose where the server writes on its disk).
   */
  storage?: string;
  defaultBranch?: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{1,62}$/;

export class RepositoryHost {
  private readonly handles = new Map<string, Promise<Repository>>();
  private readonly stores: ObjectStore[] = [];

  private constructor(
    private readonly primary: Repository,
    /** The directory the server was started in (its `.sluice/`). */
    readonly root: string,
    private readonly s3Endpoint: string | undefined,
  ) {
    this.handles.set(primary.name, Promise.resolve(primary));
  }

  /** Opens the repository at `dir` (as every command does) and, through it, its database. */
  static async open(dir?: string, opts: OpenOptions = {}): Promise<RepositoryHost> {
    const root = findRepoDir(dir, opts.cwd);
    const config = readConfig(root);
    const primary = await openRepository(root, opts);
    return new RepositoryHost(primary, root, config.s3Endpoint);
  }

  get meta(): MetaStore {
    return this.primary.meta;
  }

  /** The repository the server was started in: the default for clients that name none. */
  get defaultRepository(): string {
    return this.primary.name;
  }

  list(): Promise<RepositoryRecord[]> {
    return this.meta.listRepositories();
  }

  /** The repository named `name` (RepositoryNotFoundError when the database has none). */
  get(name: string): Promise<Repository> {
    let handle = this.handles.get(name);
    if (!handle) {
      handle = this.openSibling(name);
      this.handles.set(name, handle);
      handle.catch(() => this.handles.delete(name));
    }
    return handle;
  }

  /** Creates a repository in the same database; RepositoryAlreadyExistsError when taken. */
  async create(input: CreateRepositoryInput): Promise<Repository> {
    if (!NAME.test(input.name)) {
      throw new InvalidArgumentError(
        `repository name ${JSON.stringify(input.name)}: 2–63 characters, lowercase letters, digits, - and _`,
        { argument: 'name', reason: 'invalid repository name' },
      );
    }
    const defaultBranch = parseBranchName(input.defaultBranch ?? 'main');
    const storage = this.storageFor(input);
    const store = await openObjectStore(storage, { s3: { endpoint: this.s3Endpoint } });
    try {
      const repo = await Repository.init(this.meta, store, { name: input.name, defaultBranch });
      this.stores.push(store);
      await this.adopt(repo);
      this.handles.set(input.name, Promise.resolve(repo));
      return repo;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Closes every object store and the database (once). */
  async close(): Promise<void> {
    for (const store of this.stores) await store.close();
    await this.primary.close();
  }

  private storageFor(input: CreateRepositoryInput): string {
    if (input.storage !== undefined) {
      if (!input.storage.startsWith('s3://')) {
        throw new InvalidArgumentError('storage must be an s3:// URI', {
          argument: 'storage',
          reason: 'not s3://',
        });
      }
      return input.storage;
    }
    const primaryUri = this.primary.store.uri;
    if (primaryUri.startsWith('s3://')) {
      throw new InvalidArgumentError(
        'storage is required (s3://bucket/prefix) for a repository on S3',
        { argument: 'storage', reason: 'missing' },
      );
    }
    return join(this.root, SLUICE_DIR, 'repositories', input.name, 'objects');
  }

  private async openSibling(name: string): Promise<Repository> {
    const rec = await this.meta.getRepository(name);
    const store = rec
      ? await openObjectStore(rec.storageUri, { s3: { endpoint: this.s3Endpoint } })
      : undefined;
    if (store) this.stores.push(store);
    // Repository.open raises RepositoryNotFoundError for a name the catalog lacks.
    const repo = await Repository.open(this.meta, store ?? this.primary.store, name);
    await this.adopt(repo);
    return repo;
  }

  /** Equips a sibling as openRepository equips every handle (published rules, DuckDB settings). */
  private async adopt(repo: Repository): Promise<void> {
    registerRepositoryDir(repo, join(this.root, SLUICE_DIR, 'repositories', repo.name));
    await equip(repo, undefined);
  }
}
