// What every remote command that starts a server run does after the 202: follow the run's log
// (printing each line where the local command prints its progress), then finish as the local
// command would — its document printed by the local printer and its exit code, or its error. A
// run whose server stopped answering (`lost`) is ServerUnavailableError.
import { errorFromResponse } from '../../client/index.js';
import { ServerUnavailableError } from '../../index.js';
import type { RunJson } from '../../internal.js';
import type { CommandContext } from '../runner.js';
import { terminalText } from '../terminal-text.js';
import type { RemoteSession } from './session.js';

/** Where a run's log lines go: the local command's progress stream, or nowhere. */
export type LineSink = (line: string) => void;

/** Progress on stderr, as the workflow commands print their phases (not with --json/--quiet). */
export function stderrLines(ctx: CommandContext): LineSink {
  return (line) => {
    if (!ctx.globals.json && !ctx.globals.quiet) ctx.io.stderr.write(`${terminalText(line)}\n`);
  };
}

/** Progress on stdout, as `sluice build` prints its node lines (warnings on stderr). */
export function stdoutLines(ctx: CommandContext): LineSink {
  return (line) => {
    if (line.startsWith('warning: ')) ctx.io.stderr.write(`${terminalText(line)}\n`);
    else if (!ctx.globals.json && !ctx.globals.quiet) ctx.out.line(line);
  };
}

const POLL_MS = 200;
const FINISHED = new Set(['succeeded', 'failed', 'lost']);

/** Prints the run's log lines as they come; returns the finished run. */
export async function followRun(
  session: RemoteSession,
  repository: string,
  started: RunJson,
  sink: LineSink,
): Promise<RunJson> {
  const runId = started.runId;
  let after = 0;
  for (;;) {
    const log = await session.call(
      session.client.GET('/api/v1/repositories/{repository}/runs/{runId}/log', {
        params: { path: { repository, runId }, query: { after, amount: 1000 } },
      }),
    );
    for (const l of log.results) {
      sink(l.line);
      after = l.seq;
    }
    // The status was read before the lines: once it is final, every line has been read.
    if (FINISHED.has(log.status) && !log.pagination.hasMore) break;
    if (!log.pagination.hasMore) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return (await session.call(
    session.client.GET('/api/v1/repositories/{repository}/runs/{runId}', {
      params: { path: { repository, runId } },
    }),
  )) as RunJson;
}

/**
 * The local command's ending for a finished run: its document printed (`print`) and its exit
 * code; an error the command reports as its outcome printed with that exit code; any other
 * error thrown as its SluiceError class (the runner prints it and picks the exit code).
 */
export function finishRun<D>(
  ctx: CommandContext,
  url: string,
  run: RunJson,
  print: (doc: D) => void,
): number {
  if (run.status === 'lost')
    throw new ServerUnavailableError(`the server stopped running ${run.kind} run ${run.runId}`, {
      url,
      reason: 'run lost',
    });
  if (run.error) {
    const err = errorFromResponse(500, { error: run.error });
    if (run.exitCode === undefined) throw err;
    ctx.out.error(err);
    return run.exitCode;
  }
  print(run.result as D);
  return run.exitCode ?? 0;
}

/** Starts nothing itself: follows `started` with `sink`, then ends as the local command. */
export async function runRemotely<D>(
  ctx: CommandContext,
  session: RemoteSession,
  repository: string,
  started: RunJson,
  sink: LineSink,
  print: (doc: D) => void,
): Promise<number> {
  const run = await followRun(session, repository, started, sink);
  return finishRun(ctx, session.url, run, print);
}
