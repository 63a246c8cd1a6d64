// A REST ingestor's source: GET a JSON endpoint page by page (none, page number, cursor or next
// link), take the records array out of each body and write every record as one line of an NDJSON
// temp file — the input the caller then ingests (tables/ingest.ts). Nothing touches a repository
// here, so a source that fails (HTTP error after the retries, a body that is not JSON, records
// that are not an array of objects) leaves nothing behind: the temp folder is removed and the run
// has staged nothing.
//
// Phases, over one FetchState: prepareRequest (URL and headers resolved, checked) → per page:
// pageRequest (page number or cursor set) → fetchPage (redirects and retries) → extractRecords →
// writeNdjson → nextPage (pagination: page, cursor or next link; the last page ends it).
//
// Secrets: header values (and values in the URL) may come from environment variables. Headers are
// sent only to the configured origin (a redirect or next link elsewhere is refused when headers
// are set), and every message is scrubbed (common/secrets.ts) of the header values, the URL's
// query and user info and the resolved variables, response snippets included.
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceFetchError } from '../../common/errors.js';
import { redactUrl, Secrets } from '../../common/secrets.js';
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
  const s = prepareRequest(source, opts);
  const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'sluice-rest-'));
  const file = join(dir, 'records.ndjson');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const out = await open(file, 'w');
  const p = source.pagination;
  const paging: Paging = {
    url: new URL(s.first),
    pages: 0,
    pageNumber: p.type === 'page' ? p.start : 0,
    visited: new Set([s.first.href]),
  };
  let total = 0;
  try {
    for (;;) {
      const request = pageRequest(s, paging);
      const body = await fetchPage(s, request, paging.pages);
      const records = extractRecords(s, body, request, paging.pages);
      await writeNdjson(out, records);
      total += records.length;
      opts.onPage?.({
        page: paging.pages,
        records: records.length,
        total,
        url: s.scrub(request.href),
      });
      if (!nextPage(s, paging, body, request, records.length)) break;
    }
    await out.close();
  } catch (err) {
    await out.close().catch(() => {});
    await cleanup();
    throw err;
  }
  return { file, records: total, pages: paging.pages, cleanup };
}

// ---- prepare the request ------------------------------------------------------------------------

/** What every phase of one fetch reads: the source, its resolved request, how to report. */
interface FetchState {
  source: RestSource;
  opts: FetchRestOptions;
  /** Names the source in messages. */
  where: string;
  /** The configured headers, resolved (and `accept: application/json`). */
  headers: Headers;
  /** The first page's URL, resolved. */
  first: URL;
  /** The configured origin: the only one configured headers are sent to. */
  origin: string;
  hasHeaders: boolean;
  backoffMs: number;
  /** Replaces every secret (header values, the URL's query and user info, resolved variables)
   * in a message by `***`. */
  scrub: (text: string) => string;
}

/**
 * The source's `${NAME}` references resolved, its headers and URL checked: SourceFetchError on
 * page 0 when they are not valid. The resolved values, the header values and the URL's query and
 * user info are the secrets every message is scrubbed of.
 */
function prepareRequest(source: RestSource, opts: FetchRestOptions): FetchState {
  const where = opts.where ?? redactUrl(source.url);
  const env = opts.env ?? process.env;
  const resolved = resolveHeaders(source.headers, where, env);
  const start = resolveUrl(source.url, where, env);
  const secrets = new Secrets()
    .add(...resolved.secrets, ...start.secrets)
    .addHeaders(resolved.headers)
    .addUrl(start.url);
  const scrub = (text: string): string => secrets.scrub(text);
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
  let first: URL | undefined;
  try {
    first = new URL(start.url);
  } catch {}
  if (first?.protocol !== 'http:' && first?.protocol !== 'https:')
    throw new SourceFetchError(`${where}: url is not an http(s) URL once its variables are set`, {
      url: redactUrl(source.url),
      page: 0,
      reason: 'invalid url',
    });
  return {
    source,
    opts,
    where,
    headers,
    first,
    origin: first.origin,
    hasHeaders: Object.keys(source.headers).length > 0,
    backoffMs: opts.backoffMs ?? source.backoffMs,
    scrub,
  };
}

/** A SourceFetchError naming the request and page, scrubbed of secrets. */
function fail(
  s: FetchState,
  url: URL | string,
  page: number,
  reason: string,
  detail: string,
  extra: { status?: number; attempts?: number } = {},
  cause?: unknown,
): SourceFetchError {
  return new SourceFetchError(
    s.scrub(`${s.where}: GET ${String(url)} (page ${page}): ${detail}`),
    { url: s.scrub(String(url)), page, reason, ...extra },
    cause === undefined ? undefined : { cause },
  );
}

/** May a request (after a redirect or a next link) go to `url`? */
const allowed = (s: FetchState, url: URL): boolean =>
  (url.protocol === 'http:' || url.protocol === 'https:') &&
  (url.origin === s.origin || !s.hasHeaders);

// ---- fetch a page, with retries ---------------------------------------------------------------

/** One page's JSON body, with retries for 5xx, 429, network errors and timeouts. */
async function fetchPage(s: FetchState, url: URL, page: number): Promise<unknown> {
  const { source, opts } = s;
  const attempts = source.retries + 1;
  for (let attempt = 1; ; attempt++) {
    let retryAfterMs: number | undefined;
    let failure: SourceFetchError;
    try {
      const signal = opts.signal
        ? AbortSignal.any([opts.signal, AbortSignal.timeout(source.timeoutMs)])
        : AbortSignal.timeout(source.timeoutMs);
      const res = await followRedirects(s, url, page, signal);
      const text = await res.text();
      if (res.ok) return parseBody(s, url, page, res, text);
      const retryable = res.status === 429 || res.status >= 500;
      failure = fail(
        s,
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
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      const timedOut =
        err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const why = timedOut
        ? `no complete answer within ${source.timeoutMs} ms`
        : `unreachable (${networkReason(err)})`;
      failure = fail(
        s,
        url,
        page,
        timedOut ? 'timeout' : 'network',
        `${why}${attempt > 1 ? ` after ${attempt} attempts` : ''}`,
        { attempts: attempt },
        err,
      );
    }
    if (attempt >= attempts) throw failure;
    const delay = Math.max(s.backoffMs * 2 ** (attempt - 1), retryAfterMs ?? 0);
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : undefined);
  }
}

/** The response to GET `url`, redirects followed by hand (a limited number, same origin only). */
async function followRedirects(
  s: FetchState,
  url: URL,
  page: number,
  signal: AbortSignal,
): Promise<Response> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(target, {
      method: s.source.method,
      headers: s.headers,
      signal,
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return res;
    await res.body?.cancel();
    const next = new URL(location, target);
    if (hop >= MAX_REDIRECTS)
      throw fail(s, url, page, 'too many redirects', `more than ${MAX_REDIRECTS} redirects`);
    if (!allowed(s, next))
      throw fail(
        s,
        url,
        page,
        'cross-origin redirect',
        `redirected to ${next.origin}, not ${s.origin}: refused, the request carries headers`,
      );
    target = next;
  }
}

/** A successful response's body as JSON; SourceFetchError (final, not retried) when it is not. */
function parseBody(s: FetchState, url: URL, page: number, res: Response, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(
      s,
      url,
      page,
      'invalid JSON',
      `the response is not valid JSON (${(err as Error).message}): ${snippet(text)}`,
      { status: res.status },
    );
  }
}

const snippet = (text: string): string => {
  const t = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(t.length > SNIPPET ? `${t.slice(0, SNIPPET)}…` : t);
};

// ---- extract records, write them ----------------------------------------------------------------

/** The records array at the source's records path: every one of them a JSON object. */
function extractRecords(s: FetchState, body: unknown, request: URL, page: number): object[] {
  const path = s.source.records;
  const records = evalJsonPath(path, body);
  if (records === undefined)
    throw fail(
      s,
      request,
      page,
      'records not found',
      `the records path ${path.text} is not in the response`,
    );
  if (!Array.isArray(records))
    throw fail(
      s,
      request,
      page,
      'records not an array',
      `the records path ${path.text} holds ${describe(records)}, not an array`,
    );
  for (let i = 0; i < records.length; i++) {
    const r: unknown = records[i];
    if (r === null || typeof r !== 'object' || Array.isArray(r))
      throw fail(
        s,
        request,
        page,
        'record not an object',
        `record ${i + 1} at ${path.text} is ${describe(r)}, not an object`,
      );
  }
  return records as object[];
}

/** Appends the records to the NDJSON file, one line each. */
async function writeNdjson(out: FileHandle, records: readonly object[]): Promise<void> {
  let lines = '';
  for (const r of records) lines += `${JSON.stringify(r)}\n`;
  if (lines) await out.write(lines);
}

// ---- pagination ---------------------------------------------------------------------------------

/** Where the pagination stands. */
interface Paging {
  /** The URL the next request is made from (a link pagination's next link). */
  url: URL;
  /** Pages requested so far. */
  pages: number;
  /** The page type's next page number. */
  pageNumber: number;
  /** The cursor type's cursor (none for the first request). */
  cursor?: string;
  /** URLs a link pagination has fetched: one seen again is a loop. */
  visited: Set<string>;
}

/** The next page's request (counted): its page number or cursor set; max_pages enforced. */
function pageRequest(s: FetchState, paging: Paging): URL {
  const { source } = s;
  const p = source.pagination;
  if (paging.pages >= source.maxPages)
    throw fail(
      s,
      paging.url,
      paging.pages + 1,
      'too many pages',
      `more than max_pages (${source.maxPages}) pages: raise max_pages, or check that the pagination ends`,
    );
  paging.pages++;
  const request = new URL(paging.url);
  if (p.type === 'page') {
    request.searchParams.set(p.param, String(paging.pageNumber));
    if (p.sizeParam && p.size !== undefined) request.searchParams.set(p.sizeParam, String(p.size));
  } else if (p.type === 'cursor' && paging.cursor !== undefined) {
    request.searchParams.set(p.param, paging.cursor);
  }
  return request;
}

/**
 * Moves `paging` on after a page of `count` records whose body was `body`: false when that was the
 * last page. A cursor or next link that is not usable, loops, or leaves the origin is an error.
 */
function nextPage(
  s: FetchState,
  paging: Paging,
  body: unknown,
  request: URL,
  count: number,
): boolean {
  const p = s.source.pagination;
  const page = paging.pages;
  if (p.type === 'none') return false;
  if (p.type === 'page') {
    if (count === 0 || (p.size !== undefined && count < p.size)) return false;
    paging.pageNumber++;
    return true;
  }
  const next = evalJsonPath(p.next, body);
  if (next === undefined || next === null || next === '') return false;
  if (p.type === 'cursor') {
    if (typeof next !== 'string' && typeof next !== 'number')
      throw fail(
        s,
        request,
        page,
        'invalid cursor',
        `the cursor at ${p.next.text} is ${describe(next)}, not a string or number`,
      );
    if (String(next) === paging.cursor)
      throw fail(
        s,
        request,
        page,
        'cursor loop',
        `the cursor at ${p.next.text} did not change (${JSON.stringify(String(next))})`,
      );
    paging.cursor = String(next);
    return true;
  }
  paging.url = nextLink(s, paging, next, request, p.next.text);
  return true;
}

/** A link pagination's next URL: a URL, on the configured origin, not fetched before. */
function nextLink(s: FetchState, paging: Paging, next: unknown, request: URL, at: string): URL {
  const page = paging.pages;
  if (typeof next !== 'string')
    throw fail(
      s,
      request,
      page,
      'invalid link',
      `the next link at ${at} is ${describe(next)}, not a URL`,
    );
  let nextUrl: URL;
  try {
    nextUrl = new URL(next, request);
  } catch {
    throw fail(s, request, page, 'invalid link', `the next link at ${at} is not a URL`);
  }
  if (!allowed(s, nextUrl))
    throw fail(
      s,
      request,
      page,
      'cross-origin link',
      `the next link goes to ${nextUrl.origin}, not ${s.origin}: refused, the requests carry headers`,
    );
  if (paging.visited.has(nextUrl.href))
    throw fail(s, request, page, 'link loop', `the next link ${nextUrl.href} was already fetched`);
  paging.visited.add(nextUrl.href);
  return nextUrl;
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
