// `sluice revert COMMIT`: commits the inverse of a commit's changes (against --parent N for merges).
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { registerReplay } from './replay.js';

export function register(program: Command, runner: Runner): void {
  registerReplay(
    program,
    runner,
    'revert',
    "commit the inverse of COMMIT's changes on a branch",
    (repo, b, c, o) => repo.revert(b, c, o),
  );
}
