// Alert delivery to webhook sinks: a generic JSON POST and a Slack-compatible incoming-webhook
// message. Delivery is best effort by design — a failing sink must never turn a failed load or
// deploy into a crash — so `sendAlert` never throws for a delivery failure: it retries with
// exponential backoff inside a total deadline and returns one result per sink. Every attempt is
// reported through `onDelivery`, which the caller wires to the event log (this module does not
// import it, so it stays a leaf).
//
// Secrets: a sink's URL (its path, for Slack; its query and user info), its header values and the
// values its `${NAME}` references resolved to are never reported — every attempt's error (a
// server may echo the request in its error body) is scrubbed of them (common/secrets.ts).

import { randomUUID } from 'node:crypto';
import { Secrets } from '../common/secrets.js';

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

/** The refs an alert is about; all optional, shown as fields in Slack and sent as-is in JSON. */
export interface AlertRefs {
  repository?: string;
  branch?: string;
  commit?: string;
  runId?: string;
  target?: string;
  environment?: string;
  deployId?: string;
  [key: string]: string | undefined;
}

export interface Alert {
  /** Dotted event type, e.g. `load.failed`, `deploy.failed`, `smoke.failed`, `rollback`. */
  type: string;
  title: string;
  text: string;
  severity: AlertSeverity;
  /** The outcome of the event the alert is about (the event log's vocabulary); the `failures`
   * selector matches `failure` and `error`, or, when absent, severity error and critical. */
  outcome?: 'success' | 'failure' | 'error' | 'skipped';
  refs?: AlertRefs;
  /** Where a human should look (a report, the run branch in the web UI). */
  link?: string;
  details?: Record<string, unknown>;
  /** Stable id, sent with every attempt so a receiver can drop retried duplicates. */
  id?: string;
  /** ISO-8601; defaults to the time `sendAlert` was called. */
  time?: string;
}

/** An alert with its id and time filled in: what is actually sent. */
export type PreparedAlert = Alert & { id: string; time: string };

/** One configured destination (the workflow config's `alerts:` entries are mapped onto this). */
export interface AlertSink {
  name: string;
  kind: 'webhook' | 'slack';
  url: string;
  headers?: Record<string, string>;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  retries?: number;
  /** First retry delay for this sink (SendAlertOptions.backoffBaseMs overrides it). */
  backoffMs?: number;
  /** Which alerts this sink receives (see alertTypeMatches); absent = all, empty = none. */
  on?: string[];
  /** More values to keep out of every report (what the URL's and headers' `${NAME}` resolved to). */
  secrets?: readonly string[];
}

/** What must not appear in a sink's reports: its URL (whole, and its query and user info), header
 * values and resolved variables — a Slack webhook URL's path is itself the credential. */
export function sinkSecrets(sink: AlertSink): Secrets {
  const secrets = new Secrets()
    .add(sink.url, ...(sink.secrets ?? []))
    .addUrl(sink.url)
    .addHeaders(sink.headers);
  if (sink.kind === 'slack') {
    try {
      secrets.add(new URL(sink.url).pathname);
    } catch {}
  }
  return secrets;
}

/** One delivery attempt to one sink, as reported to `onDelivery`. The URL is never included: for
 * Slack it is the secret. */
export interface DeliveryAttempt {
  sink: string;
  kind: AlertSink['kind'];
  alertId: string;
  alertType: string;
  /** 1-based. */
  attempt: number;
  /** HTTP status, when a response arrived. */
  status?: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  /** Whether another attempt follows this one. */
  retrying: boolean;
}

export interface DeliveryResult {
  sink: string;
  kind: AlertSink['kind'];
  ok: boolean;
  attempts: number;
  /** Status of the last attempt that got a response. */
  status?: number;
  /** Why the last attempt failed. */
  error?: string;
  durationMs: number;
}

export interface SendAlertResult {
  alert: PreparedAlert;
  /** True when every matching sink accepted the alert (vacuously true when none matched). */
  ok: boolean;
  /** One per sink whose `on` matched the alert's type, in the order of `sinks`. */
  results: DeliveryResult[];
  /** Sinks whose `on` did not match. */
  skipped: string[];
  /** Errors thrown by `onDelivery` (caught: recording must not stop delivery). */
  reportErrors: string[];
}

export interface SendAlertOptions {
  /** Called after every attempt; awaited, and its errors are caught into `reportErrors`. */
  onDelivery?: (attempt: DeliveryAttempt) => void | Promise<void>;
  /** First retry delay for every sink; each further retry doubles it. Default: the sink's
   * `backoffMs`, else 500 ms. */
  backoffBaseMs?: number;
  /** Cap on one retry delay (including a server's Retry-After). Default 30 s. */
  backoffMaxMs?: number;
  /** Randomise each delay in [d/2, d] so many senders do not retry in step. Default true. */
  jitter?: boolean;
  /** Total time for the whole send, all sinks and retries. Default 30 s. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF_BASE_MS = 500;
const DEFAULT_BACKOFF_MAX_MS = 30_000;
const DEFAULT_DEADLINE_MS = 30_000;
const ERROR_BODY_CHARS = 300;

type AlertSelectorInput = Pick<Alert, 'type' | 'severity' | 'outcome'>;

/** A failure alert: its event failed or errored (or, without an outcome, it is severe). */
export function isFailureAlert(alert: AlertSelectorInput): boolean {
  if (alert.outcome !== undefined) return alert.outcome === 'failure' || alert.outcome === 'error';
  return alert.severity === 'error' || alert.severity === 'critical';
}

/**
 * Whether one `on:` selector matches an alert: `*` (every alert), `failures` (isFailureAlert),
 * `load.*` (any type under `load.`, not `load` itself), or a type — which also matches its
 * subtypes, so `load` (the event log's name) takes `load.failed`, and `load.failed` only itself.
 */
export function alertTypeMatches(pattern: string, alert: AlertSelectorInput | string): boolean {
  const type = typeof alert === 'string' ? alert : alert.type;
  if (pattern === '*') return true;
  if (pattern === 'failures') return typeof alert !== 'string' && isFailureAlert(alert);
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return type === pattern || type.startsWith(pattern + '.');
}

/** A sink without `on` receives every alert; an empty `on` receives none. */
export function sinkAccepts(sink: Pick<AlertSink, 'on'>, alert: AlertSelectorInput): boolean {
  if (sink.on === undefined) return true;
  return sink.on.some((p) => alertTypeMatches(p, alert));
}

export function prepareAlert(alert: Alert, now: Date = new Date()): PreparedAlert {
  return { ...alert, id: alert.id ?? randomUUID(), time: alert.time ?? now.toISOString() };
}

/** The generic webhook body: the alert itself, tagged with its source and a schema version. */
export function webhookPayload(alert: PreparedAlert): Record<string, unknown> {
  return {
    source: 'sluice',
    version: 1,
    id: alert.id,
    type: alert.type,
    severity: alert.severity,
    ...(alert.outcome !== undefined ? { outcome: alert.outcome } : {}),
    time: alert.time,
    title: alert.title,
    text: alert.text,
    refs: alert.refs ?? {},
    ...(alert.link !== undefined ? { link: alert.link } : {}),
    details: alert.details ?? {},
  };
}

const SEVERITY_EMOJI: Record<AlertSeverity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  error: ':red_circle:',
  critical: ':rotating_light:',
};

const REF_LABELS: Record<string, string> = {
  repository: 'Repository',
  branch: 'Branch',
  commit: 'Commit',
  runId: 'Run',
  target: 'Target',
  environment: 'Environment',
  deployId: 'Deploy',
};

/** Slack mrkdwn treats only these three as control characters. */
function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/**
 * A Slack incoming-webhook message: `text` is the notification fallback, `blocks` the rich form
 * (header, the text as mrkdwn, the refs as fields, details as a code block, a context line).
 * Lengths are cut to Slack's block limits (header 150, text 3000, 10 fields of 2000).
 */
export function slackPayload(alert: PreparedAlert): {
  text: string;
  blocks: Record<string, unknown>[];
} {
  const blocks: Record<string, unknown>[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(alert.title, 150), emoji: true },
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(alert.text || alert.title), 3000) },
    },
  ];
  const fields = Object.entries(alert.refs ?? {})
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .slice(0, 10)
    .map(([k, v]) => ({
      type: 'mrkdwn',
      text: truncate(`*${escapeMrkdwn(REF_LABELS[k] ?? k)}*\n\`${escapeMrkdwn(v)}\``, 2000),
    }));
  if (fields.length > 0) blocks.push({ type: 'section', fields });
  if (alert.details !== undefined && Object.keys(alert.details).length > 0) {
    const json = truncate(JSON.stringify(alert.details, null, 2), 2900);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: '```' + escapeMrkdwn(json) + '```' },
    });
  }
  if (alert.link !== undefined) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `<${alert.link}|View details>` },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${SEVERITY_EMOJI[alert.severity] ?? ''} *${alert.severity}* · \`${escapeMrkdwn(alert.type)}\` · ${alert.time}`,
      },
    ],
  });
  return {
    text: truncate(`[${alert.severity}] ${alert.title}: ${alert.text}`, 3000),
    blocks,
  };
}

function payloadFor(kind: AlertSink['kind'], alert: PreparedAlert): unknown {
  return kind === 'slack' ? slackPayload(alert) : webhookPayload(alert);
}

/** Why an attempt's own controller was aborted (distinguishes a timeout from the deadline). */
class AttemptTimeout {
  constructor(readonly ms: number) {}
}

/** Why the whole send was aborted: its total deadline passed. */
class DeadlineExceeded {
  readonly message: string;
  constructor(ms: number) {
    this.message = `alert deadline of ${ms} ms exceeded`;
  }
}

interface AttemptOutcome {
  ok: boolean;
  status?: number;
  error?: string;
  retryable: boolean;
  retryAfterMs?: number;
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return typeof code === 'string' && !cause.message.includes(code)
        ? `${code}: ${cause.message}`
        : cause.message;
    }
    return err.message;
  }
  return String(err);
}

/** Seconds or an HTTP date, as in RFC 9110 §10.2.3; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first few hundred characters of a response body, without reading a huge one whole. */
async function bodySnippet(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < ERROR_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short only loses the snippet.
  } finally {
    reader.cancel().catch(() => {});
  }
  return truncate(text.trim().replace(/\s+/g, ' '), ERROR_BODY_CHARS);
}

async function attemptOnce(
  doFetch: typeof fetch,
  sink: AlertSink,
  body: string,
  alertId: string,
  timeoutMs: number,
  outer: AbortSignal,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer.reason);
  if (outer.aborted) onOuter();
  else outer.addEventListener('abort', onOuter, { once: true });
  const timer = setTimeout(() => controller.abort(new AttemptTimeout(timeoutMs)), timeoutMs);
  try {
    const res = await doFetch(sink.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'sluice-alerts/1',
        'x-sluice-alert-id': alertId,
        ...(sink.headers ?? {}),
      },
      body,
      signal: controller.signal,
    });
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return { ok: true, status: res.status, retryable: false };
    }
    const snippet = await bodySnippet(res);
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
    return {
      ok: false,
      status: res.status,
      error: `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}${snippet ? ': ' + snippet : ''}`,
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  } catch (err) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    if (reason instanceof AttemptTimeout) {
      return { ok: false, error: `timed out after ${reason.ms} ms`, retryable: true };
    }
    if (reason instanceof DeadlineExceeded) {
      return { ok: false, error: reason.message, retryable: false };
    }
    if (outer.aborted) return { ok: false, error: 'aborted', retryable: false };
    return { ok: false, error: describeFetchError(err), retryable: true };
  } finally {
    clearTimeout(timer);
    outer.removeEventListener('abort', onOuter);
  }
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof DeadlineExceeded ? reason.message : 'aborted';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function backoffDelay(attempt: number, base: number, max: number, jitter: boolean): number {
  const d = Math.min(max, base * 2 ** (attempt - 1));
  return jitter ? d / 2 + Math.random() * (d / 2) : d;
}

interface DeliveryContext {
  doFetch: typeof fetch;
  signal: AbortSignal;
  deadlineAt: number;
  /** Overrides every sink's own backoffMs when set. */
  backoffBaseMs: number | undefined;
  backoffMaxMs: number;
  jitter: boolean;
  report: (a: DeliveryAttempt) => Promise<void>;
}

async function deliver(
  sink: AlertSink,
  alert: PreparedAlert,
  ctx: DeliveryContext,
): Promise<DeliveryResult> {
  const started = Date.now();
  const maxAttempts = 1 + Math.max(0, Math.floor(sink.retries ?? DEFAULT_RETRIES));
  const timeoutMs = Math.max(1, sink.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const base = { sink: sink.name, kind: sink.kind };
  const secrets = sinkSecrets(sink);
  const report = (a: DeliveryAttempt) =>
    ctx.report(a.error === undefined ? a : { ...a, error: secrets.scrub(a.error) });
  let body: string;
  try {
    if (sink.kind !== 'webhook' && sink.kind !== 'slack') {
      throw new Error(`unknown sink kind '${String(sink.kind)}'`);
    }
    const url = new URL(sink.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`sink URL must be http or https, not ${url.protocol}`);
    }
    body = JSON.stringify(payloadFor(sink.kind, alert));
  } catch (err) {
    const error = secrets.scrub(err instanceof Error ? err.message : String(err));
    await report({
      ...base,
      alertId: alert.id,
      alertType: alert.type,
      attempt: 1,
      ok: false,
      error,
      durationMs: 0,
      retrying: false,
    });
    return { ...base, ok: false, attempts: 1, error, durationMs: Date.now() - started };
  }

  let last: AttemptOutcome = { ok: false, retryable: false, error: 'not attempted' };
  let lastStatus: number | undefined;
  for (let attempt = 1; ; attempt++) {
    const t0 = Date.now();
    // The total deadline aborts an attempt through ctx.signal; timeoutMs is the attempt's own.
    last = await attemptOnce(ctx.doFetch, sink, body, alert.id, timeoutMs, ctx.signal);
    if (last.status !== undefined) lastStatus = last.status;
    const durationMs = Date.now() - t0;
    let delay = 0;
    let retrying = false;
    if (!last.ok && last.retryable && attempt < maxAttempts && !ctx.signal.aborted) {
      const baseMs = Math.max(0, ctx.backoffBaseMs ?? sink.backoffMs ?? DEFAULT_BACKOFF_BASE_MS);
      delay = backoffDelay(attempt, baseMs, ctx.backoffMaxMs, ctx.jitter);
      if (last.retryAfterMs !== undefined) {
        delay = Math.min(ctx.backoffMaxMs, Math.max(delay, last.retryAfterMs));
      }
      // A retry that could not start before the deadline is not announced as one.
      retrying = Date.now() + delay < ctx.deadlineAt;
    }
    await report({
      ...base,
      alertId: alert.id,
      alertType: alert.type,
      attempt,
      ...(last.status !== undefined ? { status: last.status } : {}),
      ok: last.ok,
      ...(last.error !== undefined ? { error: last.error } : {}),
      durationMs,
      retrying,
    });
    if (last.ok || !retrying) {
      let error = last.error;
      if (!last.ok && last.retryable && attempt < maxAttempts) {
        error = `${error}; no retry: ${ctx.signal.aborted ? abortReason(ctx.signal) : 'the alert deadline would pass first'}`;
      }
      return {
        ...base,
        ok: last.ok,
        attempts: attempt,
        ...(lastStatus !== undefined ? { status: lastStatus } : {}),
        ...(error !== undefined && !last.ok ? { error: secrets.scrub(error) } : {}),
        durationMs: Date.now() - started,
      };
    }
    await sleep(delay, ctx.signal);
    if (ctx.signal.aborted) {
      const why = abortReason(ctx.signal);
      return {
        ...base,
        ok: false,
        attempts: attempt,
        ...(lastStatus !== undefined ? { status: lastStatus } : {}),
        error: secrets.scrub(`${last.error}; ${why}`),
        durationMs: Date.now() - started,
      };
    }
  }
}

/**
 * Deliver `alert` to every sink whose `on` matches its type, concurrently, within one total
 * deadline. Never throws for a delivery failure: the result says, per sink, whether it landed.
 */
export async function sendAlert(
  sinks: readonly AlertSink[],
  alert: Alert,
  opts: SendAlertOptions = {},
): Promise<SendAlertResult> {
  const prepared = prepareAlert(alert);
  const matching = sinks.filter((s) => sinkAccepts(s, prepared));
  const skipped = sinks.filter((s) => !sinkAccepts(s, prepared)).map((s) => s.name);
  const reportErrors: string[] = [];
  if (matching.length === 0) {
    return { alert: prepared, ok: true, results: [], skipped, reportErrors };
  }

  const deadlineMs = Math.max(1, opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new DeadlineExceeded(deadlineMs)), deadlineMs);
  const onOuter = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onOuter();
  else opts.signal?.addEventListener('abort', onOuter, { once: true });

  const onDelivery = opts.onDelivery;
  const ctx: DeliveryContext = {
    doFetch: opts.fetch ?? fetch,
    signal: controller.signal,
    deadlineAt: Date.now() + deadlineMs,
    backoffBaseMs: opts.backoffBaseMs,
    backoffMaxMs: Math.max(0, opts.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS),
    jitter: opts.jitter ?? true,
    report: async (a) => {
      if (onDelivery === undefined) return;
      try {
        await onDelivery(a);
      } catch (err) {
        reportErrors.push(
          `${a.sink} attempt ${a.attempt}: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    },
  };
  try {
    const results = await Promise.all(matching.map((s) => deliver(s, prepared, ctx)));
    return { alert: prepared, ok: results.every((r) => r.ok), results, skipped, reportErrors };
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onOuter);
  }
}
