// `sluice revert COMMIT`: commits the inverse of a commit's changes (against --parent N for merges).
import type { CommandContext } from '../runner.js';
import { replayCommand } from './replay.js';

export const run = (
  ctx: CommandContext,
  commit: string,
  opts: { parent?: string; branch?: string },
): Promise<number> => replayCommand((repo, b, c, o) => repo.revert(b, c, o), ctx, commit, opts);
