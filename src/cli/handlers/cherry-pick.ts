// `sluice cherry-pick COMMIT`: commits a commit's changes again on a branch (--parent N for merges).
import type { CommandContext } from '../runner.js';
import { replayCommand } from './replay.js';

export const run = (
  ctx: CommandContext,
  commit: string,
  opts: { parent?: string; branch?: string },
): Promise<number> => replayCommand((repo, b, c, o) => repo.cherryPick(b, c, o), ctx, commit, opts);
