// `sluice build | run | test | seed`: declared here; ../handlers/build.ts runs them (one handler,
// told apart by the command's name).
import type { Command } from 'commander';
import { branchOption, type CommandSpec, defineCommand } from '../define.js';

type BuildCommand = 'build' | 'run' | 'test' | 'seed';

const DESCRIPTIONS: Record<BuildCommand, string> = {
  build: "run the project's seeds, models and tests in DAG order on a branch, as one commit",
  run: "build the project's models on a branch, as one commit (no seeds, no tests)",
  test: "run the project's tests on the tables of a branch",
  seed: "load the project's seeds (seeds/*.csv) into tables on a branch, as one commit",
};

function options(cmd: Command, command: BuildCommand): void {
  cmd
    .option(
      '-s, --select <selector...>',
      'nodes to run: name, +name, name+, tag:, path:, exposure:, state:modified',
    )
    .option('--exclude <selector...>', 'nodes to leave out (same syntax)')
    .option('--state <ref>', 'the ref whose last build state:modified compares with')
    .option('--project <dir>', 'the project directory (default: the repository directory)')
    .option('--threads <n>', 'DuckDB worker threads')
    .option('--openlineage-file <file>', 'append OpenLineage run events (JSON Lines) to this file')
    .option('--openlineage-url <url>', 'POST OpenLineage run events to this URL')
    .option('--no-artifacts', 'do not write target/run_results.json and target/manifest.json');
  if (command !== 'test' && command !== 'seed')
    cmd.option(
      '--full-refresh',
      'rebuild incremental models from scratch and ignore reusable outputs',
    );
  if (command === 'seed') cmd.option('--full-refresh', 'reload every seed even if unchanged');
}

/** build, run and seed land a commit on the branch; test only reads its tables. */
function declare(command: BuildCommand): CommandSpec {
  return defineCommand({
    name: command,
    description: DESCRIPTIONS[command],
    writes: command === 'test' ? 'read' : 'branch',
    runsSql: true,
    branchHelp: 'the branch to build on (default: the default branch)',
    configure: (cmd) => {
      if (command === 'test')
        cmd.addOption(
          branchOption('the branch whose tables to test (default: the default branch)'),
        );
      options(cmd, command);
    },
    handler: async () => (await import('../handlers/build.js')).run,
    remote: async () => (await import('../remote/build.js')).run,
  });
}

export const build = declare('build');
export const run = declare('run');
export const test = declare('test');
export const seed = declare('seed');
