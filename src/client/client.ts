// The typed client (see index.ts): openapi-fetch over the generated paths. Any TypeScript program: `createSluiceClient({ url, accessKeyId, secretAccessKey })`, then
// `client.GET('/api/v1/repositories/{repository}/branches', { params: { path: { repository } } })`,
// and `unwrap()` to get the data or throw the server's error as its SluiceError class.
import createClient, { type Client } from 'openapi-fetch';
import { ServerUnavailableError, type SluiceError } from '../common/errors.js';
import type { paths } from './api-types.js';
import { errorFromResponse } from './errors.js';

export type SluiceClient = Client<paths>;

export interface SluiceClientOptions {
  /** The server's base URL (`http://127.0.0.1:8000`). */
  url: string;
  /** An access key (HTTP Basic), or a session token (bearer). */
  accessKeyId?: string;
  secretAccessKey?: string;
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: typeof fetch;
}

export function createSluiceClient(opts: SluiceClientOptions): SluiceClient {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  else if (opts.accessKeyId !== undefined && opts.secretAccessKey !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${opts.accessKeyId}:${opts.secretAccessKey}`).toString('base64')}`;
  return createClient<paths>({
    baseUrl: opts.url.replace(/\/+$/, ''),
    headers,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

/** The data of a successful call; the server's error as its SluiceError class otherwise. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new ServerUnavailableError(
      `cannot reach the Sluice server: ${cause?.code ?? (err as Error).message}`,
      { url: '', reason: cause?.code ?? 'unreachable' },
      { cause: err },
    );
  }
  const { data, error, response } = result;
  if (!response.ok) throw errorFromResponse(response.status, error) as SluiceError;
  return data as T;
}
