// `alerts:` in `sluice.yml`: the sinks an alert goes to (a generic JSON webhook or a
// Slack-compatible one), which events each wants, and its delivery retries and timeout.
import * as z from 'zod';
import {
  DEFAULT_ALERT_TIMEOUT_MS,
  DEFAULT_BACKOFF_MS,
  duration,
  headers,
  httpUrl,
  ingestorName,
} from './fields.js';
import type { AlertConfig, ConfigOrigin } from './types.js';

const EVENT_SELECTOR = /^(\*|[A-Za-z][A-Za-z0-9_-]*(\.([A-Za-z0-9_-]+|\*))*)$/;
export const alertSchema = z.strictObject({
  name: ingestorName,
  kind: z.enum(['webhook', 'slack'], { error: 'webhook or slack' }),
  url: httpUrl,
  headers: headers.default({}),
  on: z
    .array(z.string().regex(EVENT_SELECTOR, 'an event type (load.failed, deploy.*), failures or *'))
    .min(1)
    .default(['failures']),
  timeout: duration.optional(),
  retries: z.int().min(0).max(20).default(3),
  backoff: duration.optional(),
});

/** One parsed sink as the typed configuration, declared at `origin`. */
export function toAlertConfig(a: z.output<typeof alertSchema>, origin: ConfigOrigin): AlertConfig {
  return {
    name: a.name,
    kind: a.kind,
    url: a.url,
    headers: a.headers,
    on: a.on,
    timeoutMs: a.timeout ?? DEFAULT_ALERT_TIMEOUT_MS,
    retries: a.retries,
    backoffMs: a.backoff ?? DEFAULT_BACKOFF_MS,
    origin,
  };
}
