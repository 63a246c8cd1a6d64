// A REST ingestor's source: GET a JSON endpoint page by page (none, page number, cursor or next
// link), take the records array out of each body and write every record as one line of an NDJSON
// temp file — the input the caller then ingests (tables/ingest.ts). Nothing touches a repository
// here, so a source that fails (HTTP error after the retries, a body that is not JSON, records
// that are not an array of objects) leaves nothing behind: the temp folder is removed and the run
// has staged nothing.
//
// Secrets: header values may come from environment variables. They are sent only to the
// configured origin (a redirect or next link elsewhere is refused when headers are set), and
// every message is scrubbed of them, response snippets included.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceFetchError } from '../../common/errors.js';
import { type Env, type RestSource, resolveHeaders, resolveUrl } from '../config/index.js';
import { evalJsonPath } from './json-path.js';

export interface FetchRestOptions {
  /** Names the source in messages, e.g. `sluice.yml:12: ingestor orders`; default its URL. */
  where?: string;
  /** Where `${VAR}` in headers are looked up; default process.env. */
  env?: Env;
  /** The folder in which the temp folder is made; default the OS temp folder. */
  tmpDir?: string;
  /** Overrides the source's backoff base (tests use a few milliseconds). */
  backoffMs?: number;
  signal?: AbortSignal;
  onPage?: (p: { page: number; records: number; total: number; url: string }) => void;
}

export interface RestFetchResult {
  /** NDJSON, one record (a JSON object) per line; empty when `records` is 0. */
  file: string;
  records: number;
  pages: number;
  /** Removes the temp file and its folder (call it once the file is ingested). */
  cleanup(): Promise<void>;
}

const MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 60_000;
const SNIPPET = 200;

/** Fetches every page of `source` into a fresh NDJSON temp file. */
export async function fetchRestSource(
  source: RestSource,
  opts: FetchRestOptions = {},
): Promise<RestFetchResult> {
  const where = opts.where ?? source.url;
  const env = opts.env ?? process.env;
  const resolved = resolveHeaders(source.headers, where, env);
  const start = resolveUrl(source.url, where, env);
  const secrets = [...resolved.secrets, ...start.secrets]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text);
  let headers: Headers;
  try {
    headers = new Headers({ accept: 'application/json', ...resolved.headers });
  } catch {
    // Node's message quotes the value: name only the headers, never what is in them.
    throw new SourceFetchError(
      `${where}: a header value is not valid in HTTP (a control character or newline in ${Object.keys(source.headers).join(', ')}?)`,
      { url: scrub(start.url), page: 0, reason: 'invalid header' },
    );
  }
  const hasHeaders = Object.keys(source.headers).length > 0;
  let first: URL | undefined;
  try {
    first = new URL(start.url);
  } catch {}
  if (first?.protocol !== 'http:' && first?.protocol !== 'https:')
    throw new SourceFetchError(`${where}: url is not an http(s) URL once its variables are set`, {
      url: source.url,
      page: 0,
      reason: 'invalid url',
    });
  const origin = first.origin;
  const backoffMs = opts.backoffMs ?? source.backoffMs;

  const fail = (
    url: URL | string,
    page: number,
    reason: string,
    detail: string,
    extra: { status?: number; attempts?: number } = {},
    cause?: unknown,
  ): SourceFetchError =>
    new SourceFetchError(
      scrub(`${where}: GET ${String(url)} (page ${page}): ${detail}`),
      { url: scrub(String(url)), page, reason, ...extra },
      cause === undefined ? undefined : { cause },
    );

  /** May a request (after a redirect or a next link) go to `url`? */
  const allowed = (url: URL): boolean =>
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    (url.origin === origin || !hasHeaders);

  /** One page's JSON body, with retries for 5xx, 429, network errors and timeouts. */
  async function getJson(url: URL, page: number): Promise<unknown> {
    const attempts = source.retries + 1;
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      let failure: SourceFetchError;
      try {
        const signal = opts.signal
          ? AbortSignal.any([opts.signal, AbortSignal.timeout(source.timeoutMs)])
          : AbortSignal.timeout(source.timeoutMs);
        let target = url;
        let res: Response | undefined;
        for (let hop = 0; ; hop++) {
          res = await fetch(target, { method: source.method, headers, signal, redirect: 'manual' });
          const location = res.headers.get('location');
          if (res.status < 300 || res.status >= 400 || !location) break;
          await res.body?.cancel();
          const next = new URL(location, target);
          if (hop >= MAX_REDIRECTS)
            throw fail(url, page, 'too many redirects', `more than ${MAX_REDIRECTS} redirects`);
          if (!allowed(next))
            throw fail(
              url,
              page,
              'cross-origin redirect',
              `redirected to ${next.origin}, not ${origin}: refused, the request carries headers`,
            );
          target = next;
        }
        const text = await res.text();
        if (res.ok) {
          try {
            return JSON.parse(text);
          } catch (err) {
            throw fail(
              url,
              page,
              'invalid JSON',
              `the response is not valid JSON (${(err as Error).message}): ${snippet(text)}`,
              { status: res.status },
            );
          }
        }
        const retryable = res.status === 429 || res.status >= 500;
        failure = fail(
          url,
          page,
          'http',
          `HTTP ${res.status} ${res.statusText}${retryable && attempt > 1 ? ` after ${attempt} attempts` : ''}${text ? `: ${snippet(text)}` : ''}`,
          { status: res.status, attempts: attempt },
        );
        if (!retryable) throw failure;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      } catch (err) {
        // Ours (a 4xx, invalid JSON, a refused redirect) are final; only transport errors retry.
        if (err instanceof SourceFetchError) throw err;
        if (opts.signal?.aborted) {
          throw opts.signal.reason ?? err;
        } else {
          const timedOut =
            err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
          const why = timedOut
            ? `no complete answer within ${source.timeoutMs} ms`
            : `unreachable (${networkReason(err)})`;
          failure = fail(
            url,
            page,
            timedOut ? 'timeout' : 'network',
            `${why}${attempt > 1 ? ` after ${attempt} attempts` : ''}`,
            { attempts: attempt },
            err,
          );
        }
      }
      if (attempt >= attempts) throw failure;
      const delay = Math.max(backoffMs * 2 ** (attempt - 1), retryAfterMs ?? 0);
      await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
    }
  }

  const snippet = (text: string): string => {
    const t = text.replace(/\s+/g, ' ').trim();
    return JSON.stringify(t.length > SNIPPET ? `${t.slice(0, SNIPPET)}…` : t);
  };

  const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'sluice-rest-'));
  const file = join(dir, 'records.ndjson');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const out = await open(file, 'w');
  let total = 0;
  let pages = 0;
  try {
    const p = source.pagination;
    let url = new URL(first);
    let pageNumber = p.type === 'page' ? p.start : 0;
    let cursor: string | undefined;
    const visited = new Set<string>([url.href]);
    for (;;) {
      if (pages >= source.maxPages)
        throw fail(
          url,
          pages + 1,
          'too many pages',
          `more than max_pages (${source.maxPages}) pages: raise max_pages, or check that the pagination ends`,
        );
      pages++;
      const request = new URL(url);
      if (p.type === 'page') {
        request.searchParams.set(p.param, String(pageNumber));
        if (p.sizeParam && p.size !== undefined)
          request.searchParams.set(p.sizeParam, String(p.size));
      } else if (p.type === 'cursor' && cursor !== undefined) {
        request.searchParams.set(p.param, cursor);
      }
      const body = await getJson(request, pages);
      const records = evalJsonPath(source.records, body);
      if (records === undefined)
        throw fail(
          request,
          pages,
          'records not found',
          `the records path ${source.records.text} is not in the response`,
        );
      if (!Array.isArray(records))
        throw fail(
          request,
          pages,
          'records not an array',
          `the records path ${source.records.text} holds ${describe(records)}, not an array`,
        );
      let lines = '';
      for (let i = 0; i < records.length; i++) {
        const r: unknown = records[i];
        if (r === null || typeof r !== 'object' || Array.isArray(r))
          throw fail(
            request,
            pages,
            'record not an object',
            `record ${i + 1} at ${source.records.text} is ${describe(r)}, not an object`,
          );
        lines += `${JSON.stringify(r)}\n`;
      }
      if (lines) await out.write(lines);
      total += records.length;
      opts.onPage?.({ page: pages, records: records.length, total, url: scrub(request.href) });

      if (p.type === 'none') break;
      if (p.type === 'page') {
        if (records.length === 0 || (p.size !== undefined && records.length < p.size)) break;
        pageNumber++;
      } else if (p.type === 'cursor') {
        const next = evalJsonPath(p.next, body);
        if (next === undefined || next === null || next === '') break;
        if (typeof next !== 'string' && typeof next !== 'number')
          throw fail(
            request,
            pages,
            'invalid cursor',
            `the cursor at ${p.next.text} is ${describe(next)}, not a string or number`,
          );
        if (String(next) === cursor)
          throw fail(
            request,
            pages,
            'cursor loop',
            `the cursor at ${p.next.text} did not change (${JSON.stringify(String(next))})`,
          );
        cursor = String(next);
      } else {
        const next = evalJsonPath(p.next, body);
        if (next === undefined || next === null || next === '') break;
        if (typeof next !== 'string')
          throw fail(
            request,
            pages,
            'invalid link',
            `the next link at ${p.next.text} is ${describe(next)}, not a URL`,
          );
        let nextUrl: URL;
        try {
          nextUrl = new URL(next, request);
        } catch {
          throw fail(
            request,
            pages,
            'invalid link',
            `the next link at ${p.next.text} is not a URL`,
          );
        }
        if (!allowed(nextUrl))
          throw fail(
            request,
            pages,
            'cross-origin link',
            `the next link goes to ${nextUrl.origin}, not ${origin}: refused, the requests carry headers`,
          );
        if (visited.has(nextUrl.href))
          throw fail(
            request,
            pages,
            'link loop',
            `the next link ${nextUrl.href} was already fetched`,
          );
        visited.add(nextUrl.href);
        url = nextUrl;
      }
    }
    await out.close();
  } catch (err) {
    await out.close().catch(() => {});
    await cleanup();
    throw err;
  }
  return { file, records: total, pages, cleanup };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string')
    return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  return `a ${typeof v} (${String(v)})`;
}

/** `Retry-After` in seconds (the HTTP-date form is rare for APIs and is ignored), capped. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
}

/** Why fetch could not reach the server: undici puts the system error in `cause`. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
