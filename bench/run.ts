// The benchmark runner: `npm run bench -- <name|all> [--meta sqlite|postgres|both] [--quick]`.
// Runs each benchmark on the chosen MetaStores side by side, prints the figures, and (for full
// runs) rewrites that benchmark's section of BENCHMARKS.md. Temp dirs and PostgreSQL are cleaned
// up at the end, also when a benchmark fails or the run is interrupted.
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { branchBench } from './branch.js';
import { commitDiffBench } from './commit-diff.js';
import { gatewayBench } from './gateway.js';
import { importBench } from './import.js';
import { importExternalBench } from './import-external.js';
import { mergeBench } from './merge.js';
import { pipelineBench } from './pipeline.js';
import { qualityChecksBench } from './quality.js';
import { qualityStoreBench } from './quality-store.js';
import { renderConsole, renderMarkdown, writeSection } from './report.js';
import { serverBench } from './server.js';
import { startupBench } from './startup.js';
import {
  BenchEnv,
  type Benchmark,
  codeVersion,
  log,
  META_KINDS,
  type MetaKind,
} from './support.js';
import {
  tablesDiffBench,
  tablesIngestBench,
  tablesMemoryBench,
  tablesQueryBench,
} from './tables.js';
import { workflowCycleBench } from './workflow-cycle.js';
import { workflowFlipBench } from './workflow-flip.js';
import { workflowWapBench } from './workflow-wap.js';

const BENCHMARKS: Benchmark[] = [
  importBench,
  importExternalBench,
  branchBench,
  commitDiffBench,
  mergeBench,
  tablesIngestBench,
  tablesQueryBench,
  tablesDiffBench,
  tablesMemoryBench,
  qualityChecksBench,
  qualityStoreBench,
  pipelineBench,
  workflowFlipBench,
  workflowWapBench,
  workflowCycleBench,
  startupBench,
  serverBench,
  gatewayBench,
];
const ORDER = BENCHMARKS.map((b) => b.name);
const REPORT_FILE = join(resolve(import.meta.dirname, '..'), 'BENCHMARKS.md');

const USAGE = `usage: npm run bench -- <name[,name…]|all> [--meta sqlite|postgres|both] [--quick]

benchmarks:
${BENCHMARKS.map((b) => `  ${b.name.padEnd(14)} ${b.description}`).join('\n')}

  --meta     MetaStore(s) to measure side by side (default: both)
  --quick    small sizes, to check the benchmark code works; not recorded in BENCHMARKS.md
  --wait-quiet  before each benchmark, wait (up to 15 min) for the 1-minute load average to drop
             below half the cores, so other work on the machine does not skew the figures`;

const QUIET_MAX_WAIT_MS = 15 * 60_000;

/** Waits until the machine is quiet (1-minute load < cores / 2), or gives up after a while. */
async function waitForQuiet(): Promise<void> {
  const limit = cpus().length / 2;
  const start = Date.now();
  let said = false;
  while ((loadavg()[0] as number) >= limit && Date.now() - start < QUIET_MAX_WAIT_MS) {
    if (!said)
      log(
        `waiting for the load average (${(loadavg()[0] as number).toFixed(2)}) to drop below ${limit}`,
      );
    said = true;
    await new Promise((r) => setTimeout(r, 10_000));
  }
  if (said) log(`load average now ${(loadavg()[0] as number).toFixed(2)}`);
}

interface Args {
  names: string[];
  metas: MetaKind[];
  quick: boolean;
  waitQuiet: boolean;
}

function parseArgs(argv: string[]): Args {
  let name: string | undefined;
  let meta = 'both';
  let quick = false;
  let waitQuiet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') quick = true;
    else if (a === '--wait-quiet') waitQuiet = true;
    else if (a === '--meta') meta = argv[++i] ?? '';
    else if (a.startsWith('--meta=')) meta = a.slice('--meta='.length);
    else if (a === '--help' || a === '-h') fail('');
    else if (a.startsWith('-')) fail(`unknown option ${a}`);
    else if (name === undefined) name = a;
    else fail(`unexpected argument ${a}`);
  }
  if (!name) fail('which benchmark? (or all)');
  // `all`, one name, or several separated by commas (run in the order given).
  const names = name === 'all' ? ORDER : name.split(',');
  for (const n of names) if (!ORDER.includes(n)) fail(`unknown benchmark ${n}`);
  if (meta !== 'both' && !META_KINDS.includes(meta as MetaKind))
    fail(`--meta must be sqlite, postgres or both, not ${meta}`);
  const metas = meta === 'both' ? [...META_KINDS] : [meta as MetaKind];
  return { names, metas, quick, waitQuiet };
}

function fail(msg: string): never {
  if (msg) process.stderr.write(`${msg}\n\n`);
  process.stderr.write(`${USAGE}\n`);
  process.exit(msg ? 2 : 0);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const command = `npm run bench -- ${argv.join(' ')}`;
  const code = codeVersion();
  // Only the MetaStores the chosen benchmarks measure (startup alone needs no PostgreSQL).
  const chosen = args.names.map((n) => BENCHMARKS.find((b) => b.name === n) as Benchmark);
  const metas = args.metas.filter((m) =>
    chosen.some((b) => (b.backends ?? META_KINDS).includes(m)),
  );
  const env = await BenchEnv.start({ quick: args.quick, metas });
  const stopOnSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: cleaning up`);
    void env.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  let failures = 0;
  try {
    for (const name of args.names) {
      const bench = BENCHMARKS.find((b) => b.name === name) as Benchmark;
      log(`== ${bench.name}${args.quick ? ' (quick)' : ''} on ${env.metas.join(' + ')}`);
      if (args.waitQuiet) await waitForQuiet();
      const date = new Date();
      const load0 = loadavg()[0] as number;
      if (load0 > cpus().length / 2)
        log(`load average ${load0.toFixed(2)}: other processes are running, figures will be noisy`);
      try {
        const report = await bench.run(env);
        process.stdout.write(`\n${renderConsole(report)}\n`);
        if (args.quick) {
          log('--quick: not recorded in BENCHMARKS.md');
        } else {
          const load: [number, number] = [load0, loadavg()[0] as number];
          const md = renderMarkdown(report, {
            command,
            date,
            machine: env.machine,
            postgres: env.postgres,
            code,
            load,
          });
          writeSection(REPORT_FILE, bench.name, md, ORDER);
          log(`recorded in ${REPORT_FILE}`);
        }
      } catch (err) {
        failures++;
        log(`${bench.name} failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
  } finally {
    await env.stop();
  }
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
