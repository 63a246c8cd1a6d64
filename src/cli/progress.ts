// Progress bars on stderr for slow operations. Shown only to a person watching: stderr must be a
// terminal, and neither --json nor --quiet given. Otherwise every method is a no-op.
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { OutputMode } from './output.js';

/** Loaded on first use: most runs (scripts, CI, tests) never draw a bar. */
const loadCliProgress = (): typeof cliProgressModule =>
  createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;

export interface ProgressBar {
  /** Sets the count done (and the total, when it becomes known or changes; and the phase). */
  update(done: number, total?: number, phase?: string): void;
  stop(): void;
}

const NOOP: ProgressBar = { update() {}, stop() {} };

export function isInteractive(stream: NodeJS.WritableStream, mode: OutputMode): boolean {
  return !mode.json && !mode.quiet && (stream as { isTTY?: boolean }).isTTY === true;
}

/** A bar when `total` is known, else a running count. */
export function startProgress(
  stream: NodeJS.WritableStream,
  mode: OutputMode,
  label: string,
  total?: number,
): ProgressBar {
  if (!isInteractive(stream, mode)) return NOOP;
  const counting = total === undefined;
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WritableStream & { isTTY: true },
      format: counting
        ? `${label.padEnd(8)} {phase} {value}`
        : `${label.padEnd(8)} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0, { phase: '' });
  let stopped = false;
  return {
    update(done, newTotal, phase) {
      if (stopped) return;
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done, phase === undefined ? undefined : { phase });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
