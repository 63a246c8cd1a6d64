// What the workflow commands (load, promote, deploy) share in their output: phase lines on
// stderr while they work, and the alert a refused run sent, summarised for --json.
import type { SendAlertResult } from '../index.js';
import type { CommandContext } from './runner.js';

/** Prints `phase detail` lines on stderr (not with --json or --quiet). */
export function phaseLines(ctx: CommandContext): (phase: string, detail?: string) => void {
  return (phase, detail) => {
    if (!ctx.globals.json && !ctx.globals.quiet)
      ctx.io.stderr.write(`${phase}${detail ? ` ${detail}` : ''}\n`);
  };
}

/** `{alert: {ok, sinks}}` when an alert was sent, for a command's JSON result. */
export function alertSummary(alert: SendAlertResult | undefined): {
  alert?: { ok: boolean; sinks: string[] };
} {
  return alert ? { alert: { ok: alert.ok, sinks: alert.results.map((r) => r.sink) } } : {};
}
