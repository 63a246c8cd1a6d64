// What the workflow commands (load, promote, deploy) share in their output: phase lines on
// stderr while they work, the run as JSON (its event by id, the alert it sent summarised), the
// checks that refused it, and a check summary in words.
import type { CheckSummary } from '../index.js';
import { phaseLine } from '../internal.js';
import type { CommandContext } from './runner.js';
import { terminalText } from './terminal-text.js';

/** Prints `phase detail` lines on stderr (not with --json or --quiet). */
export function phaseLines(ctx: CommandContext): (phase: string, detail?: string) => void {
  return (phase, detail) => {
    if (!ctx.globals.json && !ctx.globals.quiet)
      ctx.io.stderr.write(`${terminalText(phaseLine(phase, detail))}\n`);
  };
}

/** A workflow run for `--json` (shared with the server: api/wire-ops.ts). */
export { workflowRunJson as runJson } from '../internal.js';

/** `REFUSED: reason`, then a line per check that refused the run. */
export function printRefused(
  ctx: CommandContext,
  reason: string | undefined,
  failed: readonly { table: string; name: string; status: string; message?: string }[],
): void {
  ctx.out.line(`REFUSED: ${reason}`);
  for (const f of failed)
    ctx.out.line(`  ${f.table}: ${f.name} ${f.status}${f.message ? ` — ${f.message}` : ''}`);
}

/** `3 pass, 0 warn, 1 fail, 0 error`. */
export const summaryText = (s: CheckSummary): string =>
  `${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.error} error`;
