// startup: how long the CLI takes to start and answer (issue 13: "`sluice --version` ≤ 150 ms and
// `sluice branch list` ≤ 250 ms on the embedded default", median of at least 15 runs). Measured
// as a user meets it: a fresh process per run, `node bin/sluice.js …` with the bundle `npm run
// build` makes, next to its floor (`node -e 0`: Node alone) and a peer (`git branch`). The four
// commands run interleaved, round after round, so a busy moment hits them all alike.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchReport, Table, TargetCheck } from './report.js';
import { type Benchmark, fmtMs, fmtRatio, log, now, stats } from './support.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'sluice.js');
const BUNDLE = join(ROOT, 'dist', 'cli-bundle', 'main.js');
const WARMUP = 2;

interface Subject {
  label: string;
  file: string;
  args: string[];
  cwd: string;
  /** The target on its median, if it has one. */
  targetMs?: number;
  wall: number[];
  cpu: number[];
}

/** Children's user + system CPU time so far, in ms (Linux: /proc; elsewhere undefined). */
function childrenCpuMs(): number | undefined {
  try {
    // Fields after the command name: …, utime(14) stime(15) cutime(16) cstime(17) (1-based).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** One timed run: wall time, and CPU time when the OS tells it. Fails loudly on a bad run. */
function runOnce(s: Subject): { wall: number; cpu?: number } {
  const cpu0 = childrenCpuMs();
  const t0 = now();
  const r = spawnSync(s.file, s.args, {
    cwd: s.cwd,
    encoding: 'utf8',
    env: { ...process.env, SLUICE_USER: 'bench' },
  });
  const wall = now() - t0;
  const cpu1 = childrenCpuMs();
  if (r.status !== 0 || r.error)
    throw new Error(`${s.label} failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  if (s.file === process.execPath && r.stderr !== '' && s.args[0] === BIN)
    throw new Error(`${s.label} wrote to stderr: ${r.stderr}`);
  return { wall, ...(cpu0 !== undefined && cpu1 !== undefined ? { cpu: cpu1 - cpu0 } : {}) };
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** The value at quantile q (nearest rank) of sorted samples. */
const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;

export const startupBench: Benchmark = {
  name: 'startup',
  description: 'sluice --version and sluice branch list (fresh processes) vs node -e 0 and git',
  backends: ['sqlite'],
  async run(env) {
    if (!existsSync(BUNDLE))
      throw new Error(
        `${BUNDLE} is missing: run \`npm run build\` first (the CLI runs the bundle)`,
      );
    const runs = env.quick ? 5 : 21;
    const gitDir = env.temp.make('startup-git');
    git(gitDir, 'init', '-q');
    writeFileSync(join(gitDir, 'README'), 'startup\n');
    git(gitDir, 'add', 'README');
    git(
      gitDir,
      '-c',
      'user.name=bench',
      '-c',
      'user.email=bench@example.com',
      'commit',
      '-qm',
      'x',
    );
    const repoDir = env.temp.make('startup-repo');
    const init = spawnSync(process.execPath, [BIN, 'init', repoDir, '-q'], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`sluice init: ${init.stderr}`);

    const subject = (label: string, file: string, args: string[], cwd: string, targetMs?: number) =>
      ({ label, file, args, cwd, targetMs, wall: [], cpu: [] }) satisfies Subject as Subject;
    const subjects = [
      subject('node -e 0', process.execPath, ['-e', '0'], repoDir),
      subject('git branch', 'git', ['branch'], gitDir),
      subject('sluice --version', process.execPath, [BIN, '--version'], repoDir, 150),
      subject('sluice branch list', process.execPath, [BIN, 'branch', 'list'], repoDir, 250),
    ];
    log(`${runs} rounds (after ${WARMUP} untimed) of ${subjects.map((s) => s.label).join(', ')}`);
    for (let i = -WARMUP; i < runs; i++) {
      for (const s of subjects) {
        const r = runOnce(s);
        if (i < 0) continue;
        s.wall.push(r.wall);
        if (r.cpu !== undefined) s.cpu.push(r.cpu);
      }
    }

    const median = (s: Subject): number => stats(s.wall).median;
    const [node, gitBranch] = subjects.map(median) as [number, number];
    const table: Table = {
      title: `Fresh processes, ${runs} interleaved rounds (wall time; CPU = user + system)`,
      columns: [
        'Command',
        'Median',
        'p25–p75',
        'min–max',
        'CPU median',
        '× node -e 0',
        '× git branch',
      ],
      rows: subjects.map((s) => {
        const sorted = [...s.wall].sort((a, b) => a - b);
        const st = stats(s.wall);
        return [
          s.label,
          fmtMs(st.median),
          `${fmtMs(quantile(sorted, 0.25))}–${fmtMs(quantile(sorted, 0.75))}`,
          `${fmtMs(st.min)}–${fmtMs(st.max)}`,
          s.cpu.length > 0 ? fmtMs(stats(s.cpu).median) : '–',
          fmtRatio(st.median / node),
          fmtRatio(st.median / gitBranch),
        ];
      }),
    };
    const targets: TargetCheck[] = subjects
      .filter((s) => s.targetMs !== undefined)
      .map((s) => ({
        target: `${s.label}: median ≤ ${s.targetMs} ms`,
        backend: 'embedded (SQLite)',
        measured: `${fmtMs(median(s))} (node -e 0: ${fmtMs(node)})`,
        pass: median(s) <= (s.targetMs as number),
      }));
    return {
      name: 'startup',
      title: 'CLI start-up: sluice --version and sluice branch list',
      summary:
        'Each command runs as a new process (`spawnSync`), the way a shell runs it; the wall ' +
        'time includes starting Node. `node -e 0` is the floor no Node CLI can beat and ' +
        '`git branch` a peer that answers the same question from a native binary. The rounds ' +
        'interleave the four commands, after two untimed rounds that warm the file cache.',
      setup: [
        `Runs: ${runs} per command${env.quick ? ' (--quick)' : ''}, interleaved`,
        'sluice: `node bin/sluice.js`, running the bundle in dist/cli-bundle/ (`npm run build`)',
        'Repository: a fresh embedded one from `sluice init` (SQLite metadata, objects on local disk)',
        'git: a fresh repository with one commit, default configuration',
        'CPU: user + system time of the child, from /proc/self/stat (10 ms ticks; Linux only)',
      ],
      tables: [table],
      targets,
      notes: [
        'On a machine busy with other work, wall times spread and rise while CPU times move ' +
          'less; compare the ratios to `node -e 0`, measured in the same rounds.',
      ],
    } satisfies BenchReport;
  },
};
