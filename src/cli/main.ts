// The `sluice` command line: global options, the command tree (command-tree.ts: one declaration
// per command under commands/, its handler under handlers/ loaded only when it runs), and the
// exit code (errors.ts maps errors to codes). Nothing here calls process.exit: output is flushed
// and the code returned, so bin/sluice.js — and the quickstart — can run it in-process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { COMMAND_TREE, type HelpGroup } from './command-tree.js';
import { type ActionFactory, mount } from './define.js';
import { EXIT_USAGE, exitCodeOf, toCliError } from './errors.js';
import { flush, type Io, Output, TextCapture } from './output.js';
import { packageRoot } from './package-root.js';
import { Runner } from './runner.js';
import { terminalText } from './terminal-text.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** `--json` given before any `--`: known even when commander refuses the command line. */
function wantsJson(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--json') return true;
  }
  return false;
}

/**
 * The program: global options, then the commands of the tree, grouped for `sluice help` — all
 * of them, or only those `treeFor(args)` says a command line needs. `json` is whether --json was
 * given (commander's own errors are then not printed: main() prints them as a JSON document).
 * Exported for the tests that walk the tree, and for `sluice completion`.
 */
export function buildProgram(
  runner: ActionFactory,
  io: Io,
  json: boolean,
  args?: string[],
): Command {
  const program = new Command('sluice')
    .description('Git-style version control for a data lake')
    .version(version(), '--version', 'print the version')
    .option(
      '--repo <dir>',
      'repository directory (default: $SLUICE_REPO, else found from the current directory)',
    )
    .option(
      '--remote <url>',
      'run against a Sluice server (default: $SLUICE_REMOTE); the key comes from $SLUICE_ACCESS_KEY_ID / $SLUICE_SECRET_ACCESS_KEY or ~/.sluice/credentials, --repo names the repository',
    )
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('-q, --quiet', 'print only data and errors')
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      // commander's messages quote the command line (an unknown option, a bad argument).
      writeOut: (s) => io.stdout.write(terminalText(s, { multiline: true })),
      writeErr: (s) => io.stderr.write(terminalText(s, { multiline: true })),
      outputError: (s, write) => {
        if (!json) write(s);
      },
    })
    .showHelpAfterError(json ? false : '(run with --help for usage)');
  for (const group of args ? treeFor(program, args) : COMMAND_TREE) {
    program.commandsGroup(group.heading);
    for (const spec of group.commands) mount(program, spec, runner);
  }
  // commander's own `help [command]` goes with the last group (Other:).
  program.helpCommand(true);
  return program;
}

/** The first word of a command line that is not an option or an option's value. */
function firstOperand(program: Command, args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') return args[i + 1];
    if (!a.startsWith('-') || a === '-') return a;
    const option = program.options.find((o) => o.long === a || o.short === a);
    if (option?.required || option?.optional) i++;
  }
  return undefined;
}

/**
 * What a command line needs of the tree (mounting all of it costs a few ms at every start): the
 * top-level command it names; nothing for a bare `--version`; all of it otherwise — for help, no
 * command, or a name commander should suggest a command for.
 */
function treeFor(program: Command, args: string[]): readonly HelpGroup[] {
  const operand = firstOperand(program, args);
  if (operand === undefined)
    return args.includes('--version') && !args.some((a) => a === '-h' || a === '--help')
      ? []
      : COMMAND_TREE;
  for (const group of COMMAND_TREE) {
    const spec = group.commands.find((c) => c.name === operand);
    if (spec) return [{ heading: group.heading, commands: [spec] }];
  }
  return COMMAND_TREE;
}

/** `sluice log | head` closes our stdout early: stop writing quietly instead of crashing. */
function ignoreBrokenPipe(stream: NodeJS.WritableStream): void {
  if (stream.listenerCount('error') > 0) return;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/** Runs the CLI on `argv` (process.argv: node, script, then arguments) and returns the exit code. */
export async function main(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const json = wantsJson(argv.slice(2));
  ignoreBrokenPipe(io.stdout);
  const runner = new Runner(io);
  // Under --json, what commander prints itself (help, the version) becomes one JSON document.
  const said = new TextCapture();
  let code: number;
  try {
    await buildProgram(runner, json ? { ...io, stdout: said } : io, json, argv.slice(2)).parseAsync(
      argv,
    );
    code = runner.exitCode;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) {
      code = 0; // --help, --version
      if (json)
        new Output(io, { json, quiet: false }).result(
          err.code === 'commander.version' ? { version: said.text.trim() } : { help: said.text },
          () => {},
        );
    } else {
      const e = toCliError(err);
      // Commander already printed its own message in human mode.
      if (json || !(err instanceof CommanderError)) new Output(io, { json, quiet: false }).error(e);
      code = err instanceof CommanderError ? EXIT_USAGE : exitCodeOf(e);
    }
  }
  await flush(io.stdout);
  await flush(io.stderr);
  return code;
}
