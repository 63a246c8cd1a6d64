// Results of a benchmark as data, printed as text tables and written into BENCHMARKS.md: one
// section per benchmark, between markers, replaced by the next full run of that benchmark.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo } from './support.js';

export interface Table {
  title?: string;
  columns: string[];
  rows: string[][];
}

/** A target from the design, checked against one measured figure. */
export interface TargetCheck {
  target: string;
  backend: string;
  measured: string;
  pass: boolean;
}

export interface BenchReport {
  name: string;
  title: string;
  /** What is measured and how, in a sentence or two. */
  summary: string;
  /** Sizes, fixtures and how they were built (bullets). */
  setup: string[];
  tables: Table[];
  targets: TargetCheck[];
  /** Observations, caveats, where the time goes (paragraphs). */
  notes: string[];
}

export interface RunInfo {
  command: string;
  date: Date;
  machine: MachineInfo;
  postgres?: string;
  /** The code measured (git HEAD, dirty or not). */
  code: string;
  /** 1-minute load average when the benchmark started and ended (other work on the machine). */
  load: [number, number];
}

// ---- console --------------------------------------------------------------------------------

function textTable(t: Table): string {
  const widths = t.columns.map((c, i) =>
    Math.max(c.length, ...t.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(t.columns), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of t.rows) out.push(line(r));
  return out.join('\n');
}

export function targetTable(targets: TargetCheck[]): Table {
  return {
    title: 'Targets',
    columns: ['Target', 'Backend', 'Measured', 'Result'],
    rows: targets.map((t) => [t.target, t.backend, t.measured, t.pass ? 'PASS' : 'MISS']),
  };
}

export function renderConsole(r: BenchReport): string {
  const parts = [`== ${r.name}: ${r.title}`];
  for (const t of [...r.tables, targetTable(r.targets)]) {
    parts.push(`${t.title ? `${t.title}\n` : ''}${textTable(t)}`);
  }
  return `${parts.join('\n\n')}\n`;
}

// ---- Markdown -------------------------------------------------------------------------------

const escapeCell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function mdTable(t: Table): string {
  const lines = [
    `| ${t.columns.map(escapeCell).join(' | ')} |`,
    `|${t.columns.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ];
  return `${t.title ? `**${t.title}**\n\n` : ''}${lines.join('\n')}`;
}

export function renderMarkdown(r: BenchReport, run: RunInfo): string {
  const m = run.machine;
  const machine = [
    `${m.cores} cores (${m.cpu})`,
    `${m.memoryGiB} GiB memory`,
    `Node ${m.node}`,
    m.os,
    m.disk,
    ...(m.git ? [`git ${m.git}`] : []),
  ].join(', ');
  const out = [
    `## ${r.name}`,
    '',
    `${r.title}. ${r.summary}`,
    '',
    `- Command: \`${run.command}\``,
    `- Date: ${run.date.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Code: ${run.code}`,
    `- Machine: ${machine}`,
    `- Load average (1 min) before / after the run: ${run.load[0].toFixed(2)} / ${run.load[1].toFixed(2)} (after includes the run itself)${
      run.load[0] > m.cores / 2 ? ' — other processes were running at the start; expect noise' : ''
    }`,
    ...(run.postgres ? [`- PostgreSQL: ${run.postgres}`] : []),
    ...r.setup.map((s) => `- ${s}`),
    '',
  ];
  for (const t of r.tables) out.push(mdTable(t), '');
  out.push(mdTable(targetTable(r.targets)), '');
  for (const n of r.notes) out.push(n, '');
  return out.join('\n').trimEnd();
}

const HEADER = `# Benchmarks

Every figure here comes from \`bench/\` and was produced by the command written under it
(\`npm run bench -- <name> [--meta sqlite|postgres|both] [--quick]\`). Each benchmark runs the
same workload on the SQLite and the PostgreSQL MetaStore in one run, next to a peer where one
exists (git for import). Times are wall-clock on the machine named in each section. A full run
rewrites its own section (between the markers); \`--quick\` smoke runs are never recorded.

The big repositories of the metadata benchmarks (1,000,000 entries) are real trees over entries
that reference a few thousand shared blobs: writing a million distinct files would measure the
disk, not the versioning engine. Object content only matters for \`import\`, which writes real
files.
`;

const begin = (name: string): string => `<!-- bench:${name}:begin -->`;
const end = (name: string): string => `<!-- bench:${name}:end -->`;

/** Replaces (or inserts, in `order`) the section of benchmark `name` in the Markdown file. */
export function writeSection(
  file: string,
  name: string,
  markdown: string,
  order: readonly string[],
): void {
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const block = `${begin(name)}\n${markdown}\n${end(name)}`;
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + end(name).length);
  } else {
    // Insert before the first section that comes later in `order`, else at the end.
    const later = order.slice(order.indexOf(name) + 1);
    const at = later.map((n) => text.indexOf(begin(n))).filter((i) => i >= 0);
    const pos = at.length > 0 ? Math.min(...at) : -1;
    text =
      pos >= 0
        ? `${text.slice(0, pos)}${block}\n\n${text.slice(pos)}`
        : `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text);
}
