// `sluice --remote URL cherry-pick COMMIT`.
import type { CommandContext } from '../runner.js';
import { replayRemote } from './replay.js';

export const run = (
  ctx: CommandContext,
  commit: string,
  opts: { parent?: string; branch?: string },
) => replayRemote('cherry-pick', ctx, commit, opts);
