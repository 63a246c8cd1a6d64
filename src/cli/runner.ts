// Runs one command: loads its handler, reads the global options, opens the repository on demand,
// turns whatever the command throws into an exit code (errors.ts), and always closes the
// repository. Nothing here loads the library up front: the repository code comes with repo().
import type { Command } from 'commander';
import type { Repository } from '../index.js';
import { type IgnoredKey, ignoredKeysWarning, withConfigNotices } from '../internal.js';
import { type ActionFactory, type Handler, specOf } from './define.js';
import { EXIT_OK, exitCodeOf, toCliError } from './errors.js';
import { type Io, Output } from './output.js';
import { type ProgressBar, startProgress } from './progress.js';
import type { RemoteSession } from './remote/session.js';
import { terminalText } from './terminal-text.js';

export interface GlobalOptions {
  repo?: string;
  json: boolean;
  quiet: boolean;
  /** The server the command runs against (`--remote`, $SLUICE_REMOTE); local when unset. */
  remote?: string;
}

export class CommandContext {
  private repository: Repository | undefined;
  private session: RemoteSession | undefined;

  constructor(
    readonly io: Io,
    readonly globals: GlobalOptions,
    readonly out: Output,
    /** The command that runs (its options with its parents': command.optsWithGlobals()). */
    readonly command: Command,
  ) {}

  /**
   * The repository named by --repo / $SLUICE_REPO / the current directory, opened once — with
   * the command's `--memory-limit` for DuckDB, if it has the option (define.ts: runsSql).
   */
  async repo(): Promise<Repository> {
    if (!this.repository) {
      const { memoryLimit } = await import('./options.js');
      const limit = memoryLimit(
        this.command.opts<{ memoryLimit?: string }>().memoryLimit,
        '--memory-limit',
      );
      const { openRepository } = await import('./open-repository.js');
      this.repository = await openRepository(
        this.globals.repo,
        limit === undefined ? {} : { duck: { memoryLimit: limit } },
      );
    }
    return this.repository;
  }

  /** The branch a write goes to: --branch, else the repository's default branch. */
  async branch(given: string | undefined): Promise<string> {
    return given ?? (await this.repo()).defaultBranch;
  }

  /** The ref a read uses: --ref, else the repository's default branch. */
  async ref(given: string | undefined): Promise<string> {
    return given ?? (await this.repo()).defaultBranch;
  }

  /** The server session of a remote command (`--remote`): client, repository, error mapping. */
  async remote(): Promise<RemoteSession> {
    if (!this.session) {
      const url = this.globals.remote;
      if (url === undefined) throw new Error('remote() called by a local command');
      const { RemoteSession } = await import('./remote/session.js');
      this.session = RemoteSession.open(url, this.globals.repo);
    }
    return this.session;
  }

  progress(label: string, total?: number): ProgressBar {
    return startProgress(this.io.stderr, this.globals, label, total);
  }

  async close(): Promise<void> {
    const repo = this.repository;
    this.repository = undefined;
    await repo?.close();
  }
}

/** A command that runs where the repository is, whatever $SLUICE_REMOTE says (define.ts). */
function isLocalOnly(cmd: Command): boolean {
  const spec = specOf(cmd);
  return spec !== undefined && 'localOnly' in spec && spec.localOnly === true;
}

/** A handler called with what commander parsed (its declaration says what that is). */
type Invocable = (ctx: CommandContext, ...args: unknown[]) => Promise<number | undefined>;

/** The remote handler of a command, or RemoteUnsupportedError naming it. */
async function remoteHandler(
  cmd: Command,
  remote: (() => Promise<Handler>) | undefined,
): Promise<Handler> {
  if (remote) return remote();
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  const command = names.join(' ');
  const { RemoteUnsupportedError } = await import('../index.js');
  throw new RemoteUnsupportedError(
    `sluice ${command} does not run against a server (--remote / SLUICE_REMOTE): run it where the repository's directory is`,
    { command },
  );
}

export class Runner implements ActionFactory {
  /** Exit code of the command that ran (commander calls one action per parse). */
  exitCode = EXIT_OK;

  constructor(readonly io: Io) {}

  /**
   * A commander action that loads the handler and runs it. The handler receives the positional
   * arguments and the command's options as commander passes them (the trailing Command is
   * dropped). A handler that cannot be loaded fails like one that throws.
   */
  action(
    load: () => Promise<Handler>,
    remote?: () => Promise<Handler>,
  ): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals<{
        repo?: string;
        json?: boolean;
        quiet?: boolean;
        remote?: string;
      }>();
      const globals: GlobalOptions = {
        repo: g.repo,
        json: g.json === true,
        quiet: g.quiet === true,
        remote: g.remote ?? (isLocalOnly(cmd) ? undefined : process.env.SLUICE_REMOTE || undefined),
      };
      const out = new Output(this.io, globals);
      const ctx = new CommandContext(this.io, globals, out, cmd);
      try {
        const handler = (await (globals.remote === undefined
          ? load()
          : remoteHandler(cmd, remote))) as Invocable;
        // dbt keys the command's config files hold and Sluice ignores: one warning at the end.
        this.exitCode =
          (await withConfigNotices(
            () => handler(ctx, ...args.slice(0, -1)),
            (ignored) => this.warnIgnored(ignored),
          )) ?? EXIT_OK;
      } catch (err) {
        this.exitCode = this.fail(out, err);
      } finally {
        try {
          await ctx.close();
        } catch (err) {
          if (this.exitCode === EXIT_OK) this.exitCode = this.fail(out, err);
        }
      }
    };
  }

  /** The one warning about dbt keys Sluice does not use yet (on stderr, under --json too). */
  private warnIgnored(ignored: IgnoredKey[]): void {
    const text = ignoredKeysWarning(ignored);
    if (text) this.io.stderr.write(`warning: ${terminalText(text)}\n`);
  }

  fail(out: Output, err: unknown): number {
    const e = toCliError(err);
    out.error(e);
    return exitCodeOf(e);
  }
}
