// Alerts as the workflow sends them: the `alerts:` sinks of the config (their `${VAR}` references
// resolved), every delivery attempt recorded in the event log as an `alert` event. A sink that
// cannot be prepared (a missing variable) is reported as a failed delivery, never a crash: an
// alert must not turn a load's failure into a different one. What an attempt reports is scrubbed
// of the sink's secrets (alerts.ts) before it is recorded.
import type { Repository } from '../core/repository.js';
import {
  type Alert,
  type AlertSink,
  type SendAlertOptions,
  type SendAlertResult,
  sendAlert,
  sinkAccepts,
} from './alerts.js';
import {
  type AlertConfig,
  describeOrigin,
  type Env,
  resolveHeaders,
  resolveUrl,
} from './config/index.js';
import { recordEvent } from './events/index.js';

export interface NotifyOptions {
  env?: Env;
  /** Overrides every sink's backoff (tests). */
  backoffBaseMs?: number;
  deadlineMs?: number;
  /** The event the alert is about (its id in the log). */
  eventId?: number;
  fetch?: typeof fetch;
}

/** Sends `alert` to the configured sinks that want it; each attempt becomes an `alert` event. */
export async function notify(
  repo: Repository,
  sinks: readonly AlertConfig[],
  alert: Alert,
  opts: NotifyOptions = {},
): Promise<SendAlertResult> {
  const ready: AlertSink[] = [];
  const broken: { sink: AlertConfig; reason: string }[] = [];
  for (const s of sinks) {
    const where = describeOrigin('alert', s);
    try {
      const url = resolveUrl(s.url, where, opts.env);
      const headers = resolveHeaders(s.headers, where, opts.env);
      ready.push({
        name: s.name,
        kind: s.kind,
        url: url.url,
        headers: headers.headers,
        secrets: [...url.secrets, ...headers.secrets],
        timeoutMs: s.timeoutMs,
        retries: s.retries,
        backoffMs: s.backoffMs,
        on: s.on,
      });
    } catch (err) {
      if (sinkAccepts(s, alert))
        broken.push({ sink: s, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  const sendOpts: SendAlertOptions = {
    onDelivery: async (a) => {
      await recordEvent(repo, {
        type: 'alert',
        outcome: a.ok ? 'success' : 'failure',
        sink: a.sink,
        kind: a.kind,
        alertId: a.alertId,
        alertType: a.alertType,
        attempt: a.attempt,
        ...(a.status !== undefined ? { status: a.status } : {}),
        retrying: a.retrying,
        durationMs: a.durationMs,
        ...(a.error ? { reason: a.error } : {}),
        ...(opts.eventId !== undefined ? { eventId: opts.eventId } : {}),
      });
    },
    ...(opts.backoffBaseMs !== undefined ? { backoffBaseMs: opts.backoffBaseMs } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  };
  const result = await sendAlert(ready, alert, sendOpts);
  for (const b of broken) {
    await recordEvent(repo, {
      type: 'alert',
      outcome: 'error',
      sink: b.sink.name,
      kind: b.sink.kind,
      alertId: result.alert.id,
      alertType: alert.type,
      attempt: 0,
      reason: b.reason,
      ...(opts.eventId !== undefined ? { eventId: opts.eventId } : {}),
    });
    result.results.push({
      sink: b.sink.name,
      kind: b.sink.kind,
      ok: false,
      attempts: 0,
      error: b.reason,
      durationMs: 0,
    });
    result.ok = false;
  }
  return result;
}
