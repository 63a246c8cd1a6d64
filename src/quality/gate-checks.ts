// What a gate does with checks and webhooks once it runs them: the checks of the changed tables
// (and relationships pointing at them), the results that block, their one-line description,
// and the call of one webhook. Loaded with the check engine, when a gate runs checks or asks
// webhooks — not by every openRepository that installs the gates.
import { type Env, resolveHeaders, resolveUrl } from '../common/env-refs.js';
import { type GateFailedError, MissingEnvVarError } from '../common/errors.js';
import { redactUrl, Secrets } from '../common/secrets.js';
import { refTable } from './checks.js';
import type { GateRule } from './gate-config.js';
import { definitionDigest } from './reuse.js';
import type { CheckRun } from './run.js';
import type { CheckSpec } from './spec.js';

/** Checks of the given tables, and relationships that point at them. */
export function specsFor(all: CheckSpec[], tables: Set<string>): CheckSpec[] {
  return all.filter(
    (s) =>
      tables.has(s.table) ||
      (s.type === 'relationships' && tables.has(refTable(String(s.params.to)))),
  );
}

/** Results that block: failed error-severity checks, and checks that could not run. */
export function blocking(run: CheckRun): GateFailedError['data']['failed'] {
  return run.results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => ({
      id: r.id,
      name: r.name,
      table: r.table,
      status: r.status,
      ...(r.message ? { message: r.message } : {}),
      ...(r.sample ? { sample: r.sample } : {}),
    }));
}

export function describeFailures(failed: GateFailedError['data']['failed']): string {
  const names = failed.map(
    (f) => `${f.table}: ${f.name} ${f.status === 'error' ? 'errored' : 'failed'}`,
  );
  return `${failed.length} check(s) did not pass (${names.join(', ')})`;
}

/**
 * Asks one webhook. Its URL's and headers' `${NAME}` references are resolved from the environment
 * now (a published rule names the variable, each client holds the value; one that is not set is
 * a webhook that did not answer — the gate refuses). What it answers is reported with the URL as
 * it may be shown (no user info, query values masked) and a reason scrubbed of every secret.
 */
export async function callWebhook(
  hook: GateRule['webhooks'][number],
  event: Record<string, unknown>,
  env: Env = process.env,
): Promise<{ url: string; ok: boolean; status?: number; reason?: string }> {
  const url = redactUrl(hook.url);
  const secrets = new Secrets();
  try {
    const where = `webhook ${url}`;
    const target = resolveUrl(hook.url, where, env);
    const resolved = resolveHeaders(hook.headers ?? {}, where, env);
    secrets.add(...target.secrets, ...resolved.secrets);
    secrets.add(target.url).addUrl(target.url).addHeaders(resolved.headers);
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...resolved.headers },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(hook.timeout),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { url, ok: true, status: res.status }
      : { url, ok: false, status: res.status, reason: `HTTP ${res.status}` };
  } catch (err) {
    const timedOut =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = err instanceof Error ? err.message : String(err);
    return {
      url,
      ok: false,
      reason: timedOut
        ? `no answer within ${hook.timeout} ms`
        : secrets.scrub(err instanceof MissingEnvVarError ? message : `unreachable (${message})`),
    };
  }
}

/**
 * The checks a gate runs: the published ones, then the local ones that are not among them. A
 * local check with a published check's definition runs once (as the published one); a local
 * check that shares a published check's id but not its definition — an edited copy — runs as
 * well, its id suffixed (`#2` …): a local file adds checks, it never replaces one.
 */
export function joinSpecs(published: CheckSpec[], local: CheckSpec[]): CheckSpec[] {
  if (published.length === 0) return local;
  const digests = new Set(published.map(definitionDigest));
  const ids = new Set(published.map((s) => s.id));
  const out = [...published];
  for (const s of local) {
    if (digests.has(definitionDigest(s))) continue;
    let id = s.id;
    for (let i = 2; ids.has(id); i++) id = `${s.id}#${i}`;
    ids.add(id);
    out.push({ ...s, id });
  }
  return out;
}
