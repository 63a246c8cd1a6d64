// Runs one command: reads the global options, opens the repository on demand, turns whatever the
// command throws into an exit code (errors.ts), and always closes the repository.
import { type Command, Option } from 'commander';
import { openRepository, type Repository } from '../index.js';
import { EXIT_OK, exitCodeOf, toCliError } from './errors.js';
import { type Io, Output } from './output.js';
import { type ProgressBar, startProgress } from './progress.js';

export interface GlobalOptions {
  repo?: string;
  json: boolean;
  quiet: boolean;
}

export class CommandContext {
  private repository: Repository | undefined;

  constructor(
    readonly io: Io,
    readonly globals: GlobalOptions,
    readonly out: Output,
  ) {}

  /** The repository named by --repo / $SLUICE_REPO / the current directory, opened once. */
  async repo(): Promise<Repository> {
    this.repository ??= await openRepository(this.globals.repo);
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

  progress(label: string, total?: number): ProgressBar {
    return startProgress(this.io.stderr, this.globals, label, total);
  }

  async close(): Promise<void> {
    const repo = this.repository;
    this.repository = undefined;
    await repo?.close();
  }
}

export type Handler<A extends unknown[]> = (
  ctx: CommandContext,
  ...args: A
) => Promise<number | undefined>;

export class Runner {
  /** Exit code of the command that ran (commander calls one action per parse). */
  exitCode = EXIT_OK;

  constructor(readonly io: Io) {}

  /**
   * Wraps a command handler as a commander action. The handler receives the positional arguments
   * and the command's options as commander passes them (the trailing Command is dropped).
   */
  action<A extends unknown[]>(fn: Handler<A>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals<{ repo?: string; json?: boolean; quiet?: boolean }>();
      const globals: GlobalOptions = {
        repo: g.repo,
        json: g.json === true,
        quiet: g.quiet === true,
      };
      const out = new Output(this.io, globals);
      const ctx = new CommandContext(this.io, globals, out);
      try {
        this.exitCode = (await fn(ctx, ...(args.slice(0, -1) as A))) ?? EXIT_OK;
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

  fail(out: Output, err: unknown): number {
    const e = toCliError(err);
    out.error(e);
    return exitCodeOf(e);
  }
}

// ---- options shared by many commands ---------------------------------------------------------------

export const branchOption = (): Option =>
  new Option('-b, --branch <branch>', 'branch to write to (default: the default branch)');

export const refOption = (): Option =>
  new Option(
    '--ref <ref>',
    'branch, tag, alias, commit id or prefix, main~2 (default: the default branch)',
  );
