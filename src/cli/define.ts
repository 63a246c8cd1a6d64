// How a command is declared: its name, help, arguments and options (cheap data, read at every
// start so commander can parse and print help), what it writes, and a loader for its handler
// (../handlers/<name>.ts), imported only when the command runs. Declarations (commands/*.ts)
// import nothing but this file and commander: the library stays unloaded until a handler needs it.
//
// What a command writes (`writes`), one rule for the whole CLI:
// - `branch` — its change lands on one branch the user may name: put, rm, commit, reset, revert,
//   cherry-pick, ingest, build, run, seed, merge and load (their destination). Each takes
//   `-b, --branch <branch>` (added by mount, so a new command cannot forget it); without it, the
//   default branch (load: the ingestor's `into`). merge and load keep `--into` as a synonym.
// - `ref` — it creates, moves or deletes the ref its positional argument names (`branch create
//   NAME`, `tag delete NAME`, `alias set NAME BRANCH`, `sandbox create NAME`): the name is the
//   argument, not an option.
// - `environment` — it moves the branches and aliases sluice.yml names for its environments or
//   schedule (promote, deploy, rollback, schedule): configuration names the branches.
// - `default-branch` — its change lands on the repository's default branch, which the user does
//   not choose: config push (the rules every client enforces live there).
// - `repository` — it writes the repository but no branch: init, gc, quickstart (a new demo
//   repository), check and profile (their stored results and profiles).
// - `read` — nothing in the repository changes (files it writes are the user's: get, export …).
//   A read that looks at one branch's working state (status, diff, test, impact) takes
//   `-b, --branch` too, with the same meaning; reads of committed data take `--ref`.
//
// A command that runs SQL on the tables (DuckDB: queries, checks, ingests, builds, diffs, and the
// writes whose gates run checks) says so (`runsSql`): mount gives it `--memory-limit`, the one
// name for DuckDB's memory in every command (over sluice.yml's `duckdb: {memory_limit}`).
import { type Command, Option } from 'commander';
import type { CommandContext } from './runner.js';

export const WRITE_CLASSES = [
  'branch',
  'ref',
  'environment',
  'default-branch',
  'repository',
  'read',
] as const;
export type WriteClass = (typeof WRITE_CLASSES)[number];

/**
 * A command's handler: the context, then the positional arguments and the options object as
 * commander passes them. Each handler states the types of what its declaration configures.
 */
export type Handler = (ctx: CommandContext, ...args: never[]) => Promise<number | undefined>;

export interface CommandSpec {
  /** The name under its parent (`list` for `sluice branch list`). */
  name: string;
  description: string;
  writes: WriteClass;
  /** Help of the `-b, --branch` option a `branch` command gets (default: branchHelp below). */
  branchHelp?: string;
  /** Arguments and options, with commander's API. Cheap: no library code runs here. */
  configure?: (cmd: Command) => unknown;
  /** Loads the handler: only when the command runs. */
  handler: () => Promise<Handler>;
  /**
   * Loads the handler that runs the command against a server (`--remote`, ../remote/<name>.ts):
   * same arguments, same output and exit codes, through the typed client. A command without one
   * refuses `--remote` (RemoteUnsupportedError).
   */
  remote?: () => Promise<Handler>;
  /**
   * It runs where the repository is, never against a server: $SLUICE_REMOTE does not apply
   * (`sluice serve` started in a shell that talks to a server must still serve), and `--remote`
   * is refused.
   */
  localOnly?: boolean;
  /** Subcommands (`check history`, …) of a command that also runs itself. */
  subcommands?: readonly Spec[];
  /** It runs SQL on the tables: mount gives it `--memory-limit` (see the top of this file). */
  runsSql?: boolean;
}

/** A command that only groups others (`branch`, `tag`, `table`, …): it writes nothing itself. */
export interface GroupSpec {
  name: string;
  description: string;
  subcommands: readonly Spec[];
}

export type Spec = CommandSpec | GroupSpec;

export const defineCommand = (spec: CommandSpec): CommandSpec => spec;
export const defineGroup = (spec: GroupSpec): GroupSpec => spec;

const isCommand = (spec: Spec): spec is CommandSpec => 'handler' in spec;

const DEFAULT_BRANCH_HELP = 'branch to write to (default: the default branch)';

export const branchOption = (help = DEFAULT_BRANCH_HELP): Option =>
  new Option('-b, --branch <branch>', help);

export const refOption = (): Option =>
  new Option(
    '--ref <ref>',
    'branch, tag, alias, commit id or prefix, main~2 (default: the default branch)',
  );

export const memoryLimitOption = (): Option =>
  new Option(
    '--memory-limit <size>',
    "DuckDB's memory for this command: a size (4GB) or a share of the machine's memory (50%); beyond it DuckDB spills to disk (default: sluice.yml's duckdb.memory_limit, else 50%)",
  );

/** Collects a repeatable option into an array (commander's reducer). */
export const repeatable = (value: string, previous: string[] = []): string[] => [
  ...previous,
  value,
];

/** What runs a command: the Runner (runner.ts), or a stand-in in tests. */
export interface ActionFactory {
  action(
    load: () => Promise<Handler>,
    remote?: () => Promise<Handler>,
  ): (...args: unknown[]) => Promise<void>;
}

const specs = new WeakMap<Command, Spec>();

/** The declaration a command was mounted from (undefined for commander's own `help`). */
export function specOf(cmd: Command): Spec | undefined {
  return specs.get(cmd);
}

/** What a mounted command writes; undefined for a group (and for commander's own `help`). */
export function writeClassOf(cmd: Command): WriteClass | undefined {
  const spec = specs.get(cmd);
  return spec && isCommand(spec) ? spec.writes : undefined;
}

/** Adds a declared command (and its subcommands) under `parent`; returns the new command. */
export function mount(parent: Command, spec: Spec, runner: ActionFactory): Command {
  const cmd = parent.command(spec.name).description(spec.description);
  specs.set(cmd, spec);
  if (isCommand(spec)) {
    spec.configure?.(cmd);
    if (spec.writes === 'branch') cmd.addOption(branchOption(spec.branchHelp));
    if (spec.runsSql) cmd.addOption(memoryLimitOption());
    cmd.action(runner.action(spec.handler, spec.remote));
  }
  for (const sub of spec.subcommands ?? []) mount(cmd, sub, runner);
  return cmd;
}
