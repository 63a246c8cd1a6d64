// `sluice quickstart [DIR]`: the README's first command. Plays the workflow story
// (quickstart/story.ts) on a fresh embedded repository: two REST ingestors pulling a shop API
// that the quickstart serves on loopback, a corrupt batch stopped on its branch, the example
// project built on staging, blue/green deploys, a bad deploy rolled back, another stopped before
// the flip, and the outcome metrics. Every step is a real `sluice …` command run in-process,
// printed as the command line a user would type in DIR, followed by its real output.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  FileNotFoundError,
  InternalError,
  InvalidArgumentError,
  listEvents,
  openRepository,
} from '../../index.js';
import type { Handler } from '../define.js';
import { EXIT_OK } from '../errors.js';
import { main } from '../main.js';
import { type Io, TextCapture } from '../output.js';
import { packageRoot } from '../package-root.js';
import type { CommandContext } from '../runner.js';
import { startShopApi } from './quickstart/shop-api.js';
import { readSeed, shopAt } from './quickstart/shop-data.js';
import { playStory, shellQuote } from './quickstart/story.js';

/** Runs the CLI in-process: `main` without the node/script prefix. */
export type Sluice = (args: string[], io: Io) => Promise<number>;

/** The clone's root (examples/shop is the project the story builds). */
const ROOT = packageRoot();
const EXAMPLE = join(ROOT, 'examples', 'shop');

interface Step {
  command: string;
  exitCode: number;
  output: unknown;
}

/** The quickstart, running each step with `sluice` (tests pass a stand-in). */
export function quickstartWith(sluice: Sluice): Handler {
  return (ctx: CommandContext, dirArg: string) => play(ctx, dirArg, sluice);
}

/** The quickstart as `sluice quickstart` runs it: every step through main(), in-process. */
export const run: Handler = quickstartWith((args, io) => main(['node', 'sluice', ...args], io));

async function play(ctx: CommandContext, dirArg: string, sluice: Sluice): Promise<number> {
  const dir = resolve(dirArg);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new InvalidArgumentError(`${dirArg} exists and is not empty; choose another directory`, {
      argument: 'DIR',
      reason: 'not empty',
    });
  }
  if (!existsSync(join(EXAMPLE, 'sluice.yml')))
    throw new FileNotFoundError(
      `the quickstart builds the example project ${EXAMPLE}, which is missing: run it from a clone of the Sluice repository`,
      { file: EXAMPLE },
    );
  const json = ctx.globals.json;
  const out = ctx.io.stdout;
  const steps: Step[] = [];
  const say = (text: string): void => {
    if (!json) out.write(`${text}\n`);
  };
  const seeds = {
    orders: readSeed(join(EXAMPLE, 'seeds', 'raw_orders.csv')),
    customers: readSeed(join(EXAMPLE, 'seeds', 'raw_customers.csv')),
  };
  const api = await startShopApi(shopAt(1, seeds));
  let alertsShown = 0;
  /** An unexpected exit code stops the story: a quickstart that half-worked must say so. */
  const step = async (args: string[], expected = EXIT_OK): Promise<void> => {
    const command = `sluice ${args.map(shellQuote).join(' ')}`;
    say(`\n$ ${command}`);
    const full = ['--repo', dir, ...args];
    let code: number;
    if (json) {
      const capture = new TextCapture();
      code = await sluice(['--json', ...full], { stdout: capture, stderr: ctx.io.stderr });
      let output: unknown = capture.text;
      try {
        output = JSON.parse(capture.text);
      } catch {
        // not JSON: keep the text
      }
      steps.push({ command, exitCode: code, output });
    } else {
      code = await sluice(full, { stdout: out, stderr: out });
    }
    if (code !== expected) {
      throw new InternalError(
        `quickstart step failed: \`${command}\` exited ${code} (expected ${expected}); the repository is left in ${dir}`,
        { command, exitCode: code, expected },
      );
    }
    if (expected !== EXIT_OK) say(`(exit code ${code}, as expected)`);
    // Alerts are delivered before a command returns: these came from this step.
    for (const a of api.alerts.slice(alertsShown))
      say(`>> the on-call webhook received an alert: ${a.type} (${a.severity}): ${a.title}`);
    alertsShown = api.alerts.length;
  };
  try {
    await playStory({
      dir,
      example: EXAMPLE,
      api,
      say,
      step,
      serveTick: (n) => api.set(shopAt(n, seeds)),
      lastLoadBranch: (ingestor) => lastLoadBranch(dir, ingestor),
    });
  } finally {
    await api.close();
  }
  const next = [
    `Done. Where to look next, in ${shellQuote(dir)}:`,
    '  sluice env status                   where staging and production are',
    '  sluice events                       every load, check, merge, build, deploy, alert …',
    '  sluice metrics --html metrics.html  the metrics, with a deploys-per-day chart',
    '  sluice branch list                  the refused batch, still on its ingest/orders/… branch',
    '  sluice lineage orders               what the orders mart reads, and what reads it',
    '  sluice sandbox create my-change     a zero-copy branch of the data to try a change on',
    '  sluice schedule                     the ingestors on a cron (give each a schedule:)',
    '(The shop API stopped with the quickstart: `sluice load` has nothing to fetch any more.)',
    `Read ${join(ROOT, 'docs', 'workflows.md')} for ingestors, environments, alerts,`,
    `events and metrics, and ${join(ROOT, 'README.md')} for every command.`,
  ];
  ctx.out.result({ quickstart: { dir, api: api.url, steps, alerts: api.alerts } }, () =>
    say(`\n${next.join('\n')}`),
  );
  return EXIT_OK;
}

/** The run branch of the ingestor's latest load (a refused batch stays on it). */
async function lastLoadBranch(dir: string, ingestor: string): Promise<string> {
  const repo = await openRepository(dir);
  try {
    for await (const e of listEvents(repo, { types: ['load'], order: 'desc' }))
      if (e.type === 'load' && e.ingestor === ingestor) return e.branch;
  } finally {
    await repo.close();
  }
  throw new InternalError(`quickstart: no load of ${ingestor} in the event log`, { ingestor });
}
