// What a remote command works with: the typed client signed with the user's key, the repository
// it addresses (`--repo NAME`, else the server's default), and `call()`, which returns a
// response's data or throws the server's error as its SluiceError class — so the runner prints it
// and picks its exit code exactly as for a local error.
import { createSluiceClient, type SluiceClient, unwrap } from '../../client/index.js';
import { remoteCredentials } from './credentials.js';

export class RemoteSession {
  private repositoryName: string | undefined;
  private defaults: Promise<{ defaultBranch: string }> | undefined;

  constructor(
    readonly client: SluiceClient,
    readonly url: string,
    repository: string | undefined,
  ) {
    this.repositoryName = repository;
  }

  static open(url: string, repository: string | undefined): RemoteSession {
    const creds = remoteCredentials();
    return new RemoteSession(createSluiceClient({ url, ...creds }), url, repository);
  }

  /** The data of a call, or the server's error thrown as its SluiceError class. */
  call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    return unwrap(p).catch((err: unknown) => {
      const e = err as { data?: { url?: string } };
      if (e.data && e.data.url === '') e.data.url = this.url;
      throw err;
    });
  }

  /** The repository addressed: `--repo`, else the server's default. */
  async repository(): Promise<string> {
    if (this.repositoryName === undefined) {
      const info = await this.call(this.client.GET('/api/v1/server'));
      this.repositoryName = info.defaultRepository;
    }
    return this.repositoryName;
  }

  /** The repository's default branch (what a local command uses when no branch is named). */
  async defaultBranch(): Promise<string> {
    this.defaults ??= this.repository().then((repository) =>
      this.call(
        this.client.GET('/api/v1/repositories/{repository}', { params: { path: { repository } } }),
      ),
    );
    return (await this.defaults).defaultBranch;
  }

  /** `--branch`, else the default branch. */
  async branch(given: string | undefined): Promise<string> {
    return given ?? (await this.defaultBranch());
  }

  /** `--ref`, else the default branch. */
  async ref(given: string | undefined): Promise<string> {
    return given ?? (await this.defaultBranch());
  }
}
