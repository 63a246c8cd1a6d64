// Outcome (DORA) metrics, computed purely from the event log — no other state is read, so the
// same events always give the same numbers — plus their readable table and an inline SVG chart.
//
// Definitions, for one environment E (default `production`) and a window [since, until). Events
// are taken in id order (the order they were appended); durations come from their times.
//
// - Deploy attempts: `deploy` events of E in the window whose outcome is not `skipped`. A
//   successful deploy (outcome `success`) passed its smoke checks and flipped the alias.
// - Rolled back: a successful deploy of E is rolled back by a later successful `rollback` of E
//   when it is the rollback's `fromDeployId`, or when it came after the deploy the rollback
//   restored (`deployId`, if that deploy's event is in the list). With neither to go by, the
//   rollback undoes the last successful deploy before it not already rolled back.
// - Deployment frequency: successful deploys in the window / the window's length in days (and
//   × 7 per week). Deploys later rolled back count: they were deployed.
// - Change-failure rate: (attempts whose outcome is `failure` or `error` — smoke checks failed or
//   the deploy broke — plus successful attempts later rolled back) / attempts. null without any.
// - Lead time for changes: per successful load (a change), from its ingest commit's time to the
//   first successful deploy of E, not later rolled back, whose `loads` list it (the loads in the
//   deployed commit and not in the one live before: a later deploy containing it as an ancestor
//   counts, because `loads` is computed from commit ancestry). Counted when that deploy is in
//   the window; a load listed by an earlier deploy of the list is not counted again.
// - Time to restore: incidents of E, in id order. A failed deploy (or failed rollback) opens one
//   at its time (a rollback's at its `detectedAt`, else its time) unless one is open; a
//   successful deploy or rollback closes the open one at its time; a successful rollback with
//   none open is an incident of its own, from its `detectedAt` (else its time) to its time.
//   Counted when detected in the window; those still open at the end of the list are `open`.
// - A rollback that could not run (outcome `error`: it flipped nothing — the alias moved under it)
//   counts for nothing here: it neither undoes a deploy nor opens, closes or restores an incident.
// - Median and p90 interpolate linearly between the closest ranks (the median of an even count
//   is the mean of the middle two): with sorted x₀…xₙ₋₁, h = (n − 1)·p, the value is
//   x⌊h⌋ + (h − ⌊h⌋)·(x⌈h⌉ − x⌊h⌋).
import { InvalidArgumentError } from '../common/errors.js';
import { esc } from '../quality/report-html.js';
import type { DeployEvent, RollbackEvent, StoredEvent } from './events/index.js';

const DAY_MS = 86_400_000;

export interface MetricsOptions {
  since: Date;
  until: Date;
  /** Default `production`. */
  environment?: string;
}

export interface DurationStats {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface Incident {
  detectedAt: string;
  /** null while not restored. */
  restoredAt: string | null;
  restoredBy: 'rollback' | 'deploy' | null;
  /** The deploy behind it, when known. */
  deployId: string | null;
}

export interface DayCounts {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Successful deploys (including those later rolled back). */
  deploys: number;
  /** Of those, later rolled back. */
  rolledBack: number;
  /** Deploys whose smoke checks failed or that broke. */
  failedDeploys: number;
  /** Successful rollbacks. */
  rollbacks: number;
}

export interface OutcomeMetrics {
  environment: string;
  since: string;
  until: string;
  days: number;
  deploymentFrequency: { deploys: number; perDay: number; perWeek: number };
  leadTime: DurationStats;
  changeFailureRate: {
    /** Deploy attempts (not skipped). */
    deploys: number;
    failed: number;
    /** Attempts that failed their smoke checks or broke. */
    failedDeploys: number;
    /** Successful attempts later rolled back. */
    rolledBack: number;
    rate: number | null;
  };
  timeToRestore: DurationStats & { open: number; incidents: Incident[] };
  /** Load runs in the window, by outcome (any target). */
  loads: { success: number; failure: number; error: number; skipped: number };
  daily: DayCounts[];
}

type Deploy = StoredEvent & DeployEvent;
type Rollback = StoredEvent & RollbackEvent;

/** The window and the environment's events, as every step reads them. */
interface Scope {
  env: string;
  since: number;
  until: number;
  /** Every event, in id order. */
  sorted: StoredEvent[];
  /** The environment's deploys, in id order. */
  deploys: Deploy[];
  /**
   * The environment's rollbacks that ran (success or failure), in id order. One that could not
   * run (outcome `error`: it flipped nothing, e.g. the alias moved under it) counts for nothing.
   */
  rollbacks: Rollback[];
}

const at = (iso: string): number => Date.parse(iso);
const inWindow = (sc: Scope, t: number): boolean => t >= sc.since && t < sc.until;

/** The outcome metrics of `events` over a window (see the definitions at the top of this file). */
export function computeMetrics(
  events: readonly StoredEvent[],
  opts: MetricsOptions,
): OutcomeMetrics {
  const sc = scopeOf(events, opts);
  const rolledBack = rolledBackDeploys(sc);
  const attempts = sc.deploys.filter((d) => d.outcome !== 'skipped' && inWindow(sc, at(d.time)));
  const ok = attempts.filter((d) => d.outcome === 'success');
  const failedDeploys = attempts.filter((d) => d.outcome === 'failure' || d.outcome === 'error');
  const undoneInWindow = ok.filter((d) => rolledBack.has(d.id));
  const days = (sc.until - sc.since) / DAY_MS;
  const failed = failedDeploys.length + undoneInWindow.length;
  return {
    environment: sc.env,
    since: new Date(sc.since).toISOString(),
    until: new Date(sc.until).toISOString(),
    days,
    deploymentFrequency: {
      deploys: ok.length,
      perDay: ok.length / days,
      perWeek: (ok.length / days) * 7,
    },
    leadTime: stats(leadTimes(sc, rolledBack)),
    changeFailureRate: {
      deploys: attempts.length,
      failed,
      failedDeploys: failedDeploys.length,
      rolledBack: undoneInWindow.length,
      rate: attempts.length === 0 ? null : failed / attempts.length,
    },
    timeToRestore: timeToRestore(sc),
    loads: loadCounts(sc),
    daily: dailyCounts(sc, ok, failedDeploys, rolledBack),
  };
}

/** Checks the window and sorts out the environment's deploys and rollbacks. */
function scopeOf(events: readonly StoredEvent[], opts: MetricsOptions): Scope {
  const env = opts.environment ?? 'production';
  const since = opts.since.getTime();
  const until = opts.until.getTime();
  if (!Number.isFinite(since) || !Number.isFinite(until) || until <= since) {
    throw new InvalidArgumentError('the metrics window must end after it starts', {
      argument: 'since',
      reason: 'empty window',
    });
  }
  const sorted = [...events].sort((a, b) => a.id - b.id);
  return {
    env,
    since,
    until,
    sorted,
    deploys: sorted.filter((e): e is Deploy => e.type === 'deploy' && e.environment === env),
    rollbacks: sorted.filter(
      (e): e is Rollback => e.type === 'rollback' && e.environment === env && e.outcome !== 'error',
    ),
  };
}

/** Which successful deploys were rolled back (by event id). */
function rolledBackDeploys(sc: Scope): Set<number> {
  const succeeded = sc.deploys.filter((d) => d.outcome === 'success');
  const rolledBack = new Set<number>();
  for (const r of sc.rollbacks) {
    if (r.outcome !== 'success') continue;
    const before = succeeded.filter((d) => d.id < r.id);
    const restored = before.findLast((d) => d.deployId === r.deployId);
    const undone = before.filter(
      (d) => d.deployId === r.fromDeployId || (restored !== undefined && d.id > restored.id),
    );
    if (undone.length === 0 && restored === undefined && r.fromDeployId === undefined) {
      const live = before.findLast((d) => !rolledBack.has(d.id));
      if (live) undone.push(live);
    }
    for (const d of undone) rolledBack.add(d.id);
  }
  return rolledBack;
}

/** Lead times: each load once, at the first kept deploy that lists it. */
function leadTimes(sc: Scope, rolledBack: ReadonlySet<number>): number[] {
  const counted = new Set<string>();
  const leads: number[] = [];
  for (const d of sc.deploys) {
    if (d.outcome !== 'success' || rolledBack.has(d.id)) continue;
    const t = at(d.time);
    for (const l of d.loads ?? []) {
      if (counted.has(l.runId)) continue;
      counted.add(l.runId);
      if (inWindow(sc, t)) leads.push(Math.max(0, t - at(l.committedAt)));
    }
  }
  return leads;
}

interface OpenIncident {
  detectedAt: number;
  restoredAt?: number;
  restoredBy?: 'rollback' | 'deploy';
  deployId?: string;
}

/** The incidents of the environment, in id order, each closed by the next good deploy or rollback. */
function incidentsOf(sc: Scope): OpenIncident[] {
  const incidents: OpenIncident[] = [];
  let open: OpenIncident | undefined;
  const openAt = (detectedAt: number, deployId: string | undefined): void => {
    open = { detectedAt, ...(deployId === undefined ? {} : { deployId }) };
    incidents.push(open);
  };
  const close = (t: number, by: 'rollback' | 'deploy'): void => {
    if (!open) return;
    open.restoredAt = t;
    open.restoredBy = by;
    open = undefined;
  };
  const envEvents = [...sc.deploys, ...sc.rollbacks].sort((a, b) => a.id - b.id);
  for (const e of envEvents) {
    const failed = e.outcome === 'failure' || e.outcome === 'error';
    if (e.type === 'deploy') {
      if (failed && !open) openAt(at(e.time), e.deployId);
      else if (e.outcome === 'success') close(at(e.time), 'deploy');
    } else {
      const detectedAt = at(e.detectedAt ?? e.time);
      if (failed && !open) openAt(detectedAt, e.fromDeployId);
      else if (e.outcome === 'success') {
        if (!open) openAt(detectedAt, e.fromDeployId);
        close(at(e.time), 'rollback');
      }
    }
  }
  return incidents;
}

/** Time to restore: the incidents detected in the window, restored or still open. */
function timeToRestore(sc: Scope): OutcomeMetrics['timeToRestore'] {
  const counting = incidentsOf(sc).filter((i) => inWindow(sc, i.detectedAt));
  const restores = counting
    .filter((i) => i.restoredAt !== undefined)
    .map((i) => Math.max(0, (i.restoredAt as number) - i.detectedAt));
  return {
    ...stats(restores),
    open: counting.length - restores.length,
    incidents: counting.map((i) => ({
      detectedAt: new Date(i.detectedAt).toISOString(),
      restoredAt: i.restoredAt === undefined ? null : new Date(i.restoredAt).toISOString(),
      restoredBy: i.restoredBy ?? null,
      deployId: i.deployId ?? null,
    })),
  };
}

/** Load runs in the window, by outcome (any target). */
function loadCounts(sc: Scope): OutcomeMetrics['loads'] {
  const loads = { success: 0, failure: 0, error: 0, skipped: 0 };
  for (const e of sc.sorted) if (e.type === 'load' && inWindow(sc, at(e.time))) loads[e.outcome]++;
  return loads;
}

/** One row per UTC day the window touches. */
function dailyCounts(
  sc: Scope,
  ok: readonly Deploy[],
  failedDeploys: readonly Deploy[],
  rolledBack: ReadonlySet<number>,
): DayCounts[] {
  const daily: DayCounts[] = [];
  const byDay = new Map<string, DayCounts>();
  for (let t = Math.floor(sc.since / DAY_MS) * DAY_MS; t < sc.until; t += DAY_MS) {
    const row = { day: dayOf(t), deploys: 0, rolledBack: 0, failedDeploys: 0, rollbacks: 0 };
    daily.push(row);
    byDay.set(row.day, row);
  }
  const dayRow = (iso: string): DayCounts => byDay.get(dayOf(at(iso))) as DayCounts;
  for (const d of ok) {
    const row = dayRow(d.time);
    row.deploys++;
    if (rolledBack.has(d.id)) row.rolledBack++;
  }
  for (const d of failedDeploys) dayRow(d.time).failedDeploys++;
  for (const r of sc.rollbacks)
    if (r.outcome === 'success' && inWindow(sc, at(r.time))) dayRow(r.time).rollbacks++;
  return daily;
}

/** The p-quantile (0 ≤ p ≤ 1) of `values`, linear between closest ranks; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (x[lo] as number) + (h - lo) * ((x[hi] as number) - (x[lo] as number));
}

function stats(values: number[]): DurationStats {
  return {
    count: values.length,
    medianMs: percentile(values, 0.5),
    p90Ms: percentile(values, 0.9),
  };
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

// ---- rendering ---------------------------------------------------------------------------------

/** `850ms`, `42s`, `3m 20s`, `2h 05m`, `1d 04h`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${pad(m % 60)}m`;
  return `${Math.floor(h / 24)}d ${pad(h % 24)}h`;
}

const fmtRate = (n: number): string =>
  n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2);
const fmtStats = (s: DurationStats): string =>
  s.medianMs === null || s.p90Ms === null
    ? '—'
    : `median ${formatDuration(s.medianMs)} · p90 ${formatDuration(s.p90Ms)}`;

/** The metrics as rows of [metric, count, value] for a readable table. */
export function metricsTable(m: OutcomeMetrics): [string, string, string][] {
  const f = m.deploymentFrequency;
  const c = m.changeFailureRate;
  const r = m.timeToRestore;
  return [
    [
      'deployment frequency',
      `${f.deploys} deploy(s)`,
      `${fmtRate(f.perDay)}/day · ${fmtRate(f.perWeek)}/week`,
    ],
    ['lead time for changes', `${m.leadTime.count} change(s)`, fmtStats(m.leadTime)],
    [
      'change-failure rate',
      `${c.failed} of ${c.deploys}`,
      c.rate === null
        ? '—'
        : `${(c.rate * 100).toFixed(1)} % (${c.failedDeploys} failed smoke checks, ${c.rolledBack} rolled back)`,
    ],
    [
      'time to restore',
      `${r.count} restored`,
      `${fmtStats(r)}${r.open ? ` · ${r.open} still open` : ''}`,
    ],
    [
      'loads',
      `${m.loads.success + m.loads.failure + m.loads.error} run(s)`,
      `${m.loads.success} merged · ${m.loads.failure} stopped by checks · ${m.loads.error} errored`,
    ],
  ];
}

const W = 760;
const H = 200;
const PAD = { left: 40, right: 16, top: 18, bottom: 28 };
const COLOURS = { ok: '#2e8540', undone: '#d68a00', failed: '#c62828' };
const r1 = (x: number): string => String(Math.round(x * 10) / 10);

/**
 * Deploys per day as an inline SVG: a bar per UTC day of successful deploys (amber for those
 * later rolled back) and a red marker above the days with a failed deploy or a rollback.
 * Self-contained (no script, no external reference); tooltips are <title> elements.
 */
export function metricsChart(m: OutcomeMetrics): string {
  const days = m.daily;
  const max = Math.max(1, ...days.map((d) => d.deploys));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const bw = iw / Math.max(1, days.length);
  const gap = bw > 4 ? 1 : 0;
  const y = (v: number): number => PAD.top + ih - (v / max) * ih;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(`${m.environment} deploys per day`)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui,sans-serif" font-size="11">`,
  ];
  for (const v of [...new Set([0, Math.round(max / 2), max])]) {
    out.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#e3e8ee"/>`,
      `<text x="${PAD.left - 6}" y="${r1(y(v) + 4)}" text-anchor="end" fill="#5f6b76">${v}</text>`,
    );
  }
  days.forEach((d, i) => {
    const x = PAD.left + i * bw;
    const w = r1(Math.max(0.5, bw - gap));
    const tip = `${d.day}: ${d.deploys} deploy(s)${d.rolledBack ? `, ${d.rolledBack} rolled back` : ''}${d.failedDeploys ? `, ${d.failedDeploys} failed smoke checks` : ''}${d.rollbacks ? `, ${d.rollbacks} rollback(s)` : ''}`;
    out.push(`<g><title>${esc(tip)}</title>`);
    const kept = d.deploys - d.rolledBack;
    if (kept > 0)
      out.push(
        `<rect x="${r1(x)}" y="${r1(y(kept))}" width="${w}" height="${r1(y(0) - y(kept))}" fill="${COLOURS.ok}"/>`,
      );
    if (d.rolledBack > 0)
      out.push(
        `<rect x="${r1(x)}" y="${r1(y(d.deploys))}" width="${w}" height="${r1(y(kept) - y(d.deploys))}" fill="${COLOURS.undone}"/>`,
      );
    if (d.failedDeploys + d.rollbacks > 0) {
      const cx = x + bw / 2;
      const cy = y(d.deploys) - 7;
      out.push(
        `<path d="M${r1(cx - 4)},${r1(cy - 4)} L${r1(cx + 4)},${r1(cy - 4)} L${r1(cx)},${r1(cy + 3)} Z" fill="${COLOURS.failed}"/>`,
      );
    }
    // An invisible full-height target so the tooltip also works on empty days.
    out.push(
      `<rect x="${r1(x)}" y="${PAD.top}" width="${w}" height="${ih}" fill="transparent"/></g>`,
    );
  });
  const first = days[0];
  const last = days.at(-1);
  if (first && last)
    out.push(
      `<text x="${PAD.left}" y="${H - 8}" fill="#5f6b76">${esc(first.day)}</text>`,
      `<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" fill="#5f6b76">${esc(last.day)}</text>`,
    );
  out.push('</svg>');
  return out.join('');
}

const LEGEND = `<div class="legend"><span><i style="background:${COLOURS.ok}"></i>deploys</span><span><i style="background:${COLOURS.undone}"></i>later rolled back</span><span><i style="background:${COLOURS.failed}"></i>failed smoke checks or rollback</span></div>`;

const CSS = `
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2125}
header,main{max-width:1000px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px}
.muted{color:#5f6b76}
table{border-collapse:collapse;margin:4px 0 12px;font-size:13px}
th,td{border:1px solid #d8dee4;padding:3px 8px;text-align:left}
th{background:#f6f8fa}
svg{display:block;margin:4px 0 12px;max-width:100%;height:auto}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
`;

/** A self-contained HTML page of the metrics: the table, the chart and the incidents. */
export function renderMetricsHtml(
  m: OutcomeMetrics,
  opts: { repo?: string; generatedAt?: Date } = {},
): string {
  const title = `Outcome metrics${opts.repo ? ` — ${opts.repo}` : ''} · ${m.environment}`;
  const rows = metricsTable(m)
    .map(([k, n, v]) => `<tr><th>${esc(k)}</th><td>${esc(n)}</td><td>${esc(v)}</td></tr>`)
    .join('');
  const incidents = m.timeToRestore.incidents;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>${esc(title)}</h1><div class="muted">${esc(m.since)} → ${esc(m.until)} (${esc(fmtRate(m.days))} days) · generated ${esc((opts.generatedAt ?? new Date()).toISOString())}</div></header>`,
    `<main><table><tbody>${rows}</tbody></table>`,
    '<h2>Deploys per day</h2>',
    LEGEND,
    metricsChart(m),
    incidents.length === 0
      ? ''
      : `<h2>Incidents</h2><table><thead><tr><th>detected</th><th>restored</th><th>by</th><th>time to restore</th><th>deploy</th></tr></thead><tbody>${incidents
          .map(
            (i) =>
              `<tr><td>${esc(i.detectedAt)}</td><td>${esc(i.restoredAt ?? 'open')}</td><td>${esc(i.restoredBy ?? '')}</td><td>${i.restoredAt === null ? '' : esc(formatDuration(Date.parse(i.restoredAt) - Date.parse(i.detectedAt)))}</td><td>${esc(i.deployId ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    '</main></body></html>',
    '',
  ].join('\n');
}
