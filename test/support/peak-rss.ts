// Runs the built CLI as a child process and measures its peak resident set: the child reports
// `process.resourceUsage().maxRSS` (Node's heap and DuckDB's native memory alike) when it exits,
// through a preloaded module; meanwhile a watchdog reads /proc/<pid>/status and kills a child
// that goes over the limit, so a regression fails in seconds instead of filling the machine.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-once.js';
import { tempDir } from './cli.js';

const BIN = join(ROOT, 'bin', 'sluice.js');

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set in bytes (the child's own figure, else the watchdog's). */
  peakBytes: number;
  /** Set when the watchdog killed the child for going over the limit. */
  killedOver?: number;
  ms: number;
}

/** Reads VmHWM / VmRSS (kB) of a live process; undefined once it is gone or without /proc. */
function procMemory(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status) ?? /VmRSS:\s+(\d+) kB/.exec(status);
    return hwm ? Number(hwm[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `sluice ARGS` in repository `repo`; kills it if its resident set passes `limitBytes`. */
export function runMeasured(
  repo: string,
  args: string[],
  opts: { limitBytes: number; cwd?: string },
): Promise<MeasuredRun> {
  const dir = tempDir('sluice-peak-');
  const preload = join(dir, 'peak.cjs');
  const report = join(dir, 'peak.txt');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS * 1024)));\n`,
  );
  const env: Record<string, string | undefined> = {
    ...process.env,
    SLUICE_USER: 'tester',
    SLUICE_REPO: repo,
    NODE_OPTIONS: `--require ${preload}`,
  };
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? repo,
      env,
      stdio: 'pipe',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let watched = 0;
    let killedOver: number | undefined;
    const watchdog = setInterval(() => {
      const m = child.pid === undefined ? undefined : procMemory(child.pid);
      if (m === undefined) return;
      watched = Math.max(watched, m);
      if (m > opts.limitBytes && killedOver === undefined) {
        killedOver = m;
        child.kill('SIGKILL');
      }
    }, 50);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearInterval(watchdog);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      const own = existsSync(report) ? Number(readFileSync(report, 'utf8')) : 0;
      rmSync(dir, { recursive: true, force: true });
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        peakBytes: Math.max(own, watched),
        ...(killedOver !== undefined ? { killedOver } : {}),
        ms: performance.now() - t0,
      });
    });
    child.stdin.end();
  });
}
