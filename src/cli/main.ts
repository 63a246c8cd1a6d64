// The `sluice` command line: global options, one subcommand per file under commands/, and the
// exit code (errors.ts maps errors to codes). Nothing here calls process.exit: output is flushed
// and the code returned, so bin/sluice.js — and the quickstart — can run it in-process.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import * as aliasDelete from './commands/alias-delete.js';
import * as aliasList from './commands/alias-list.js';
import * as aliasSet from './commands/alias-set.js';
import * as branchCreate from './commands/branch-create.js';
import * as branchDelete from './commands/branch-delete.js';
import * as branchList from './commands/branch-list.js';
import * as branchReset from './commands/branch-reset.js';
import * as build from './commands/build.js';
import * as cat from './commands/cat.js';
import * as check from './commands/check.js';
import * as checkHistory from './commands/check-history.js';
import * as checkImportGe from './commands/check-import-ge.js';
import * as checkSuggest from './commands/check-suggest.js';
import * as cherryPick from './commands/cherry-pick.js';
import * as commit from './commands/commit.js';
import * as compile from './commands/compile.js';
import * as deploy from './commands/deploy.js';
import * as diff from './commands/diff.js';
import * as envStatus from './commands/env-status.js';
import * as events from './commands/events.js';
import * as exportCmd from './commands/export.js';
import * as fsck from './commands/fsck.js';
import * as gc from './commands/gc.js';
import * as get from './commands/get.js';
import * as impact from './commands/impact.js';
import * as ingest from './commands/ingest.js';
import * as init from './commands/init.js';
import * as lineage from './commands/lineage.js';
import * as load from './commands/load.js';
import * as log from './commands/log.js';
import * as ls from './commands/ls.js';
import * as merge from './commands/merge.js';
import * as metrics from './commands/metrics.js';
import * as profile from './commands/profile.js';
import * as promote from './commands/promote.js';
import * as put from './commands/put.js';
import * as quickstart from './commands/quickstart.js';
import * as reset from './commands/reset.js';
import * as revert from './commands/revert.js';
import * as rm from './commands/rm.js';
import * as rollback from './commands/rollback.js';
import * as sandbox from './commands/sandbox.js';
import * as schedule from './commands/schedule.js';
import * as show from './commands/show.js';
import * as sourceFreshness from './commands/source-freshness.js';
import * as sql from './commands/sql.js';
import * as status from './commands/status.js';
import * as tableDiff from './commands/table-diff.js';
import * as tableHistory from './commands/table-history.js';
import * as tableList from './commands/table-list.js';
import * as tableShow from './commands/table-show.js';
import * as tagCreate from './commands/tag-create.js';
import * as tagDelete from './commands/tag-delete.js';
import * as tagList from './commands/tag-list.js';
import { EXIT_USAGE, exitCodeOf, toCliError } from './errors.js';
import { flush, type Io, Output } from './output.js';
import { Runner } from './runner.js';

function version(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string };
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

function buildProgram(runner: Runner, io: Io, json: boolean): Command {
  const program = new Command('sluice')
    .description('Git-style version control for a data lake')
    .version(version(), '--version', 'print the version')
    .option(
      '--repo <dir>',
      'repository directory (default: $SLUICE_REPO, else found from the current directory)',
    )
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('-q, --quiet', 'print only data and errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => {
        if (!json) write(s);
      },
    })
    .showHelpAfterError(json ? false : '(run with --help for usage)');

  init.register(program, runner);
  put.register(program, runner);
  get.register(program, runner);
  cat.register(program, runner);
  ls.register(program, runner);
  rm.register(program, runner);
  status.register(program, runner);
  commit.register(program, runner);
  log.register(program, runner);
  diff.register(program, runner);
  show.register(program, runner);

  const branch = program.command('branch').description('create, list, delete and move branches');
  branchCreate.register(branch, runner);
  branchList.register(branch, runner);
  branchDelete.register(branch, runner);
  branchReset.register(branch, runner);

  reset.register(program, runner);
  merge.register(program, runner);
  revert.register(program, runner);
  cherryPick.register(program, runner);

  const tag = program.command('tag').description('create, list and delete tags');
  tagCreate.register(tag, runner);
  tagList.register(tag, runner);
  tagDelete.register(tag, runner);

  const alias = program
    .command('alias')
    .description('set, list and delete aliases (names for branches)');
  aliasSet.register(alias, runner);
  aliasList.register(alias, runner);
  aliasDelete.register(alias, runner);

  sandbox.register(program, runner);

  ingest.register(program, runner);
  load.register(program, runner);
  schedule.register(program, runner);
  sql.register(program, runner);
  exportCmd.register(program, runner);
  const checkCmd = check.register(program, runner);
  checkHistory.register(checkCmd, runner);
  checkImportGe.register(checkCmd, runner);
  checkSuggest.register(checkCmd, runner);
  profile.register(program, runner);
  build.register(program, runner);
  compile.register(program, runner);
  lineage.register(program, runner);
  impact.register(program, runner);
  sourceFreshness.register(program, runner);

  const table = program.command('table').description('list, show, trace and diff tables');
  tableList.register(table, runner);
  tableShow.register(table, runner);
  tableHistory.register(table, runner);
  tableDiff.register(table, runner);

  events.register(program, runner);
  metrics.register(program, runner);
  promote.register(program, runner);
  deploy.register(program, runner);
  rollback.register(program, runner);
  envStatus.register(program, runner);

  gc.register(program, runner);
  fsck.register(program, runner);
  quickstart.register(program, runner, (args, nestedIo) =>
    main(['node', 'sluice', ...args], nestedIo),
  );
  return program;
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
  let code: number;
  try {
    await buildProgram(runner, io, json).parseAsync(argv);
    code = runner.exitCode;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) {
      code = 0; // --help, --version
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
