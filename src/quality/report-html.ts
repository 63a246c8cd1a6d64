// Data docs: one self-contained HTML page for a check run — `sluice check --html FILE`.
//
// The page holds the run's checks by table (status, observed value, rows checked, failing count
// and share, message, source), failing-row samples as tables, the profile of each table, and its
// history drawn as inline SVG from what the MetaStore stored: rows over the first-parent commits
// (profiles), checks passed / warned / failed per run, and a grid of each check's status over the
// latest runs. CSS is inline, charts are inline SVG with <title> tooltips; there is no script and
// nothing is loaded from anywhere (a Content-Security-Policy of default-src 'none' says so to the
// browser too). Every value that comes from data, specs or names goes through `esc`, so a cell
// holding `<script>` is text. The page is rendered in pieces (`dataDocsChunks`: a line, a check's
// row) and streamed to the file, so thousands of checks never make one string.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Json } from '@duckdb/node-api';
import type { Repository } from '../core/repository.js';
import type { TableProfile } from './profile.js';
import type { CheckResult, CheckRun } from './run.js';
import { type CheckStatus, summarize, worstStatus } from './summary.js';

/** A stored run as it concerns one table: its results for that table. */
export interface StoredTableRun {
  runId: string;
  commit: string;
  at: Date;
  results: CheckResult[];
}

/** A stored profile of a table at a commit of the first-parent log. */
export interface ProfilePoint {
  commit: string;
  at: Date;
  profile: TableProfile;
  /** The run's own profile, not (yet) stored for this commit. */
  current?: boolean;
}

export interface TableHistory {
  table: string;
  /** Stored runs that checked the table, oldest first. */
  runs: StoredTableRun[];
  /** Profiles along the first-parent log, oldest first. */
  profiles: ProfilePoint[];
}

export interface DataDocsInput {
  run: CheckRun;
  /** History per table of the run (tables without an entry get no charts). */
  history: TableHistory[];
  /** The repository's name, for the title. */
  repo?: string;
  /** When the page was made (default: now). */
  generatedAt?: Date;
}

export interface HistoryOptions {
  /** Newest stored runs read per table (default 1,000, fewer for a table of many checks). */
  runs?: number;
  /**
   * Stored results read per table (default HISTORY_RESULTS): a table of many checks shows fewer
   * runs, so the history read stays bounded — 62 runs of a table of 4,000 checks.
   */
  results?: number;
  /** First-parent commits whose profiles are read (default 1,000). */
  commits?: number;
}

/** Runs shown in the per-check status grid. */
const GRID_RUNS = 60;
/** Stored results a page reads per table, by default (some 100 MB at most, parsed). */
const HISTORY_RESULTS = 250_000;

// ---- gathering the history ------------------------------------------------------------------

/** The stored history of each table of a run: its check runs and its profiles over the log. */
export async function gatherHistory(
  repo: Repository,
  run: CheckRun,
  opts: HistoryOptions = {},
): Promise<TableHistory[]> {
  const tables = tablesOf(run);
  const log: { id: string; at: Date }[] = [];
  for await (const c of repo.log(run.commit, { firstParent: true, limit: opts.commits ?? 1000 }))
    log.push({ id: c.id, at: c.createdAt });
  log.reverse();
  const out: TableHistory[] = [];
  for (const table of tables) {
    // Results come newest first; reading a bounded number keeps an old repository's page quick.
    const perRun = Math.max(1, run.results.filter((r) => r.table === table).length);
    const budget = Math.max(1, Math.floor((opts.results ?? HISTORY_RESULTS) / perRun));
    const maxRuns = Math.min(opts.runs ?? 1000, budget);
    const rows = await repo.meta.listCheckResults(repo.name, {
      table,
      limit: maxRuns * perRun * 2,
    });
    const runs: StoredTableRun[] = [];
    for (const r of rows) {
      let last = runs.at(-1);
      if (last?.runId !== r.runId) {
        if (runs.length === maxRuns) break;
        last = { runId: r.runId, commit: r.commitId, at: r.createdAt, results: [] };
        runs.push(last);
      }
      last.results.push(JSON.parse(r.data) as CheckResult);
    }
    runs.reverse();
    const stored = new Map(
      (
        await repo.meta.getProfiles(
          repo.name,
          table,
          log.map((c) => c.id),
        )
      ).map((p) => [p.commitId, JSON.parse(p.data) as TableProfile]),
    );
    const profiles: ProfilePoint[] = log.flatMap((c) => {
      const p = stored.get(c.id);
      return p ? [{ commit: c.id, at: c.at, profile: p }] : [];
    });
    const mine = run.profiles.find((p) => p.table === table);
    if (mine && !stored.has(run.commit))
      profiles.push({ commit: run.commit, at: run.startedAt, profile: mine, current: true });
    out.push({ table, runs, profiles });
  }
  return out;
}

/**
 * Gathers the history of the run's tables and writes the data docs page to `file`, streamed: the
 * page's pieces are written as they are rendered, in blocks of WRITE_BLOCK characters.
 */
export async function writeDataDocs(
  repo: Repository,
  run: CheckRun,
  file: string,
  opts: HistoryOptions = {},
): Promise<{ file: string; bytes: number }> {
  const history = await gatherHistory(repo, run, opts);
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    let block: string[] = [];
    let size = 0;
    const flush = (): void => {
      bytes += writeSync(fd, block.join(''));
      block = [];
      size = 0;
    };
    for (const chunk of dataDocsChunks({ run, history, repo: repo.name })) {
      block.push(chunk);
      size += chunk.length;
      if (size >= WRITE_BLOCK) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { file, bytes };
}

/** Characters gathered before a write to the data docs file. */
const WRITE_BLOCK = 1 << 16;

function tablesOf(run: CheckRun): string[] {
  const seen = new Set<string>();
  for (const r of run.results) seen.add(r.table);
  for (const p of run.profiles) seen.add(p.table);
  return [...seen];
}

// ---- rendering ------------------------------------------------------------------------------

const ESC: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value, escaped (attributes are always double-quoted). */
export const esc = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ESC[c] as string);

const COLORS: Record<CheckStatus, string> = {
  pass: '#2e8540',
  warn: '#d68a00',
  fail: '#c62828',
  error: '#6a1b9a',
};
const STATUSES: CheckStatus[] = ['pass', 'warn', 'fail', 'error'];

function fmtValue(v: Json | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'NULL';
  if (typeof v === 'number') return fmtNum(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return String(Math.round(x * 1e4) / 1e4);
}

const short = (id: string): string => id.slice(0, 10);
const iso = (d: Date): string =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
const badge = (s: CheckStatus): string => `<span class="badge s-${s}">${s.toUpperCase()}</span>`;

const worst = (results: CheckResult[]): CheckStatus => worstStatus(results);

const CSS = `
:root{--fg:#1d2125;--muted:#5f6b76;--line:#d8dee4;--bg:#fff;--alt:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:16px 24px}
header{border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 8px;padding-top:8px;border-top:2px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
h4{font-size:13px;margin:14px 0 4px}
.muted{color:var(--muted)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:4px 0 12px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--alt);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-width:100%}
.badge{display:inline-block;min-width:48px;padding:1px 6px;border-radius:3px;color:#fff;font-size:11px;font-weight:700;text-align:center}
.s-pass{background:${COLORS.pass}}.s-warn{background:${COLORS.warn}}.s-fail{background:${COLORS.fail}}.s-error{background:${COLORS.error}}
.summary span{margin-right:12px}
nav ul{margin:6px 0;padding-left:20px}
svg{display:block;margin:4px 0 12px;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
`;

/** The data docs page of a run. */
export function renderDataDocs(input: DataDocsInput): string {
  return [...dataDocsChunks(input)].join('');
}

/**
 * The data docs page of a run, in pieces (a line each, or a check's row): what writeDataDocs
 * streams to the file, so a run of thousands of checks is never one string.
 */
export function* dataDocsChunks(input: DataDocsInput): Generator<string> {
  const { run } = input;
  const generated = input.generatedAt ?? new Date();
  const history = new Map(input.history.map((h) => [h.table, h]));
  const tables = tablesOf(run);
  const s = run.summary;
  const title = `Data docs${input.repo ? ` — ${input.repo}` : ''} at ${run.ref}`;
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>`,
    '<header>',
    `<h1>${esc(title)} ${badge(run.status)}</h1>`,
    `<div class="muted">commit <code>${esc(run.commit)}</code> · run ${esc(run.id ?? '(not stored)')} · started ${esc(iso(run.startedAt))} · ${esc(Math.round(run.durationMs))} ms · ${esc(run.queries)} queries</div>`,
    `<div class="summary">${run.results.length} check(s): ${STATUSES.map((k) => `<span>${badge(k)} ${esc(s[k])}</span>`).join('')}</div>`,
    '<nav><ul>',
  ];
  for (const line of head) yield `${line}\n`;
  const byTable = resultsByTable(run);
  for (const [i, t] of tables.entries()) {
    const rs = byTable.get(t) ?? [];
    yield `<li><a href="#t${i}">${esc(t)}</a> ${rs.length ? badge(worst(rs)) : ''} <span class="muted">${rs.length} check(s)</span></li>\n`;
  }
  yield '</ul></nav></header><main>\n';
  for (const [i, t] of tables.entries())
    yield* tableSection(t, i, run, byTable.get(t) ?? [], history.get(t));
  yield `</main><footer class="muted">Generated by Sluice at ${esc(iso(generated))}.</footer></body></html>\n`;
}

/** The run's results by table, in order (one pass, not one filter per table). */
function resultsByTable(run: CheckRun): Map<string, CheckResult[]> {
  const out = new Map<string, CheckResult[]>();
  for (const r of run.results) {
    const rs = out.get(r.table);
    if (rs) rs.push(r);
    else out.set(r.table, [r]);
  }
  return out;
}

/** One table's section, a line (or a check's row) at a time. */
function* tableSection(
  table: string,
  i: number,
  run: CheckRun,
  results: CheckResult[],
  h: TableHistory | undefined,
): Generator<string> {
  const lines = (...xs: string[]): string[] => xs.map((x) => `${x}\n`);
  yield* lines(
    `<section id="t${i}"><h2>${esc(table)} ${results.length ? badge(worst(results)) : ''}</h2>`,
  );
  if (results.length) {
    yield* lines(
      '<h3>Checks</h3><div class="scroll"><table><thead><tr>',
      ...[
        'Status',
        'Check',
        'Type',
        'Severity',
        'Observed',
        'Rows checked',
        'Failing',
        'Failing %',
        'Message',
        'Source',
      ].map((c) => `<th>${c}</th>`),
      '</tr></thead><tbody>',
    );
    for (const r of results) {
      yield* lines(
        '<tr>',
        `<td>${badge(r.status)}</td>`,
        `<td>${esc(r.name)}<br><code class="muted">${esc(r.id)}</code></td>`,
        `<td>${esc(r.type)}</td>`,
        `<td>${esc(r.severity)}</td>`,
        `<td class="num">${esc(fmtValue(r.observed))}</td>`,
        `<td class="num">${r.elementCount === undefined ? '' : esc(fmtNum(r.elementCount))}</td>`,
        `<td class="num">${r.unexpectedCount === undefined ? '' : esc(fmtNum(r.unexpectedCount))}</td>`,
        `<td class="num">${r.unexpectedPercent === undefined ? '' : esc(`${r.unexpectedPercent.toFixed(2)} %`)}</td>`,
        `<td>${esc(r.message ?? '')}</td>`,
        `<td><code>${esc(`${r.source.file}:${r.source.line}`)}</code></td>`,
        '</tr>',
      );
    }
    yield* lines('</tbody></table></div>');
  }
  const sampled = results.filter((r) => r.sample?.length);
  if (sampled.length) {
    yield* lines('<h3>Failing rows (samples)</h3>');
    for (const r of sampled) yield* lines(sampleTable(r));
  }
  const profile = run.profiles.find((p) => p.table === table);
  if (profile) yield* lines(profileTable(profile));
  if (h && (h.profiles.length || h.runs.length)) {
    yield* lines('<h3>History</h3>');
    if (h.profiles.length) yield* lines(rowsChart(h.profiles));
    if (h.runs.length) {
      yield* lines(runsChart(h.runs));
      yield* statusGrid(h.runs, results);
    }
  } else {
    yield* lines('<p class="muted">No stored history for this table yet.</p>');
  }
  yield* lines('</section>');
}

function sampleTable(r: CheckResult): string {
  const rows = r.sample ?? [];
  const cols: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!cols.includes(k)) cols.push(k);
  return [
    `<h4>${esc(r.name)} <span class="muted">(${esc(rows.length)} of ${esc(r.unexpectedCount ?? rows.length)} failing)</span></h4>`,
    '<div class="scroll"><table><thead><tr>',
    ...cols.map((c) => `<th>${esc(c)}</th>`),
    '</tr></thead><tbody>',
    ...rows.map(
      (row) =>
        `<tr>${cols.map((c) => `<td${row[c] === null ? ' class="muted"' : ''}>${esc(fmtValue(row[c]))}</td>`).join('')}</tr>`,
    ),
    '</tbody></table></div>',
  ].join('');
}

function profileTable(p: TableProfile): string {
  const head = [
    'Column',
    'Type',
    'NULLs',
    'NULL %',
    'Distinct (≈)',
    'Min',
    'Max',
    'Mean',
    'Stddev',
  ];
  return [
    `<h3>Profile <span class="muted">(${esc(fmtNum(p.rows))} rows)</span></h3>`,
    '<div class="scroll"><table><thead><tr>',
    ...head.map((c) => `<th>${esc(c)}</th>`),
    '</tr></thead><tbody>',
    ...Object.entries(p.columns).map(
      ([name, c]) =>
        `<tr><td>${esc(name)}</td><td><code>${esc(c.type)}</code></td><td class="num">${esc(fmtNum(c.nulls))}</td>` +
        `<td class="num">${esc(c.nullPercent.toFixed(2))}</td><td class="num">${c.distinct === undefined ? '' : esc(fmtNum(c.distinct))}</td>` +
        `<td class="num">${esc(fmtValue(c.min))}</td><td class="num">${esc(fmtValue(c.max))}</td>` +
        `<td class="num">${c.mean === undefined ? '' : esc(fmtNum(c.mean))}</td><td class="num">${c.stddev === undefined ? '' : esc(fmtNum(c.stddev))}</td></tr>`,
    ),
    '</tbody></table></div>',
  ].join('');
}

// ---- charts (inline SVG) --------------------------------------------------------------------

const W = 760;
const H = 200;
const PAD = { left: 70, right: 16, top: 12, bottom: 28 };
const r1 = (x: number): string => String(Math.round(x * 10) / 10);

function svgOpen(label: string, height = H): string {
  return `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}">`;
}

/** Rows at each commit with a stored profile (oldest left), as a line with points. */
function rowsChart(points: ProfilePoint[]): string {
  const ys = points.map((p) => p.profile.rows);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (lo === hi) {
    lo = Math.max(0, lo - 1);
    hi += 1;
  }
  const span = hi - lo;
  lo = Math.max(0, lo - span * 0.05);
  hi += span * 0.05;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i: number): number =>
    PAD.left + (points.length === 1 ? iw / 2 : (i * iw) / (points.length - 1));
  const y = (v: number): number => PAD.top + ih - ((v - lo) / (hi - lo)) * ih;
  const out: string[] = [
    `<h4>Rows over commits <span class="muted">(${points.length} profiled commit(s) on the first-parent log)</span></h4>`,
    svgOpen(`rows of the table over ${points.length} commits`),
  ];
  for (const k of [0, 0.5, 1]) {
    const v = lo + (hi - lo) * k;
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#e3e8ee"/>`,
      `<text x="${PAD.left - 6}" y="${r1(y(v) + 4)}" text-anchor="end">${esc(fmtNum(Math.round(v)))}</text>`,
    );
  }
  const first = points[0] as ProfilePoint;
  const last = points.at(-1) as ProfilePoint;
  out.push(
    `<text x="${PAD.left}" y="${H - 8}">${esc(`${short(first.commit)} · ${iso(first.at).slice(0, 10)}`)}</text>`,
    `<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${esc(`${short(last.commit)} · ${iso(last.at).slice(0, 10)}`)}</text>`,
  );
  if (points.length > 1)
    out.push(
      `<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="${points.map((p, i) => `${r1(x(i))},${r1(y(p.profile.rows))}`).join(' ')}"/>`,
    );
  const rad = points.length > 200 ? 1.5 : 3;
  points.forEach((p, i) => {
    out.push(
      `<circle cx="${r1(x(i))}" cy="${r1(y(p.profile.rows))}" r="${rad}" fill="${p.current ? '#d68a00' : '#1f6feb'}"><title>${esc(`${short(p.commit)} ${iso(p.at)}: ${fmtNum(p.profile.rows)} rows${p.current ? ' (this run, not stored)' : ''}`)}</title></circle>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

function legend(): string {
  return `<div class="legend">${STATUSES.map((s) => `<span><i style="background:${COLORS[s]}"></i>${s}</span>`).join('')}</div>`;
}

/** Checks per stored run (oldest left), stacked by status as shares of the run's checks. */
function runsChart(runs: StoredTableRun[]): string {
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const bw = iw / runs.length;
  const gap = bw > 4 ? 1 : 0;
  const out: string[] = [
    `<h4>Check results per run <span class="muted">(${runs.length} stored run(s), share of checks by status)</span></h4>`,
    legend(),
    svgOpen(`check results over ${runs.length} runs`),
  ];
  for (const k of [0, 0.5, 1]) {
    const yy = PAD.top + ih - k * ih;
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${r1(yy)}" y2="${r1(yy)}" stroke="#e3e8ee"/>`,
      `<text x="${PAD.left - 6}" y="${r1(yy + 4)}" text-anchor="end">${k * 100} %</text>`,
    );
  }
  runs.forEach((run, i) => {
    const counts = summarize(run.results);
    const n = run.results.length || 1;
    const x = PAD.left + i * bw;
    let yy = PAD.top + ih;
    const tip = `${iso(run.at)} · ${short(run.commit)} · ${STATUSES.map((s) => `${counts[s]} ${s}`).join(', ')}`;
    out.push(`<g><title>${esc(tip)}</title>`);
    for (const s of STATUSES) {
      if (!counts[s]) continue;
      const hh = (counts[s] / n) * ih;
      yy -= hh;
      out.push(
        `<rect x="${r1(x)}" y="${r1(yy)}" width="${r1(Math.max(0.5, bw - gap))}" height="${r1(hh)}" fill="${COLORS[s]}"/>`,
      );
    }
    out.push('</g>');
  });
  const first = runs[0] as StoredTableRun;
  const last = runs.at(-1) as StoredTableRun;
  out.push(
    `<text x="${PAD.left}" y="${H - 8}">${esc(iso(first.at))}</text>`,
    `<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${esc(iso(last.at))}</text>`,
    '</svg>',
  );
  return out.join('');
}

/**
 * Each check's status over the latest runs: one row per check, one cell per run — a row at a
 * time (thousands of checks × 60 runs would be tens of MB as one string), the last ending the line.
 */
function* statusGrid(runs: StoredTableRun[], current: CheckResult[]): Generator<string> {
  const shown = runs.slice(-GRID_RUNS);
  const names = new Map<string, string>();
  for (const r of current) names.set(r.id, r.name);
  for (let k = shown.length - 1; k >= 0; k--)
    for (const r of (shown[k] as StoredTableRun).results)
      if (!names.has(r.id)) names.set(r.id, r.name);
  const ids = [...names.keys()];
  const cell = 11;
  const labelW = 230;
  const width = labelW + shown.length * cell + 8;
  const height = ids.length * cell + 24;
  yield* [
    `<h4>Status of each check <span class="muted">(latest ${shown.length} run(s), oldest left)</span></h4>`,
    `<div class="scroll"><svg role="img" aria-label="status of each check per run" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
  ];
  const byRun = shown.map((run) => new Map(run.results.map((r) => [r.id, r])));
  for (const [row, id] of ids.entries()) {
    const name = names.get(id) as string;
    const label = name.length > 36 ? `${name.slice(0, 35)}…` : name;
    const out: string[] = [];
    out.push(
      `<text x="${labelW - 6}" y="${row * cell + 9}" text-anchor="end"><title>${esc(id)}</title>${esc(label)}</text>`,
    );
    byRun.forEach((m, col) => {
      const r = m.get(id);
      if (!r) return;
      const run = shown[col] as StoredTableRun;
      out.push(
        `<rect x="${labelW + col * cell}" y="${row * cell}" width="${cell - 1}" height="${cell - 1}" fill="${COLORS[r.status]}"><title>${esc(`${name} · ${iso(run.at)} · ${short(run.commit)}: ${r.status}${r.observed === undefined ? '' : ` (observed ${fmtValue(r.observed)})`}`)}</title></rect>`,
      );
    });
    yield out.join('');
  }
  yield '</svg></div>\n';
}
