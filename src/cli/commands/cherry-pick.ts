// `sluice cherry-pick COMMIT`: commits a commit's changes again on a branch (--parent N for merges).
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { registerReplay } from './replay.js';

export function register(program: Command, runner: Runner): void {
  registerReplay(
    program,
    runner,
    'cherry-pick',
    "apply COMMIT's changes again on a branch, as a new commit",
    (repo, b, c, o) => repo.cherryPick(b, c, o),
  );
}
