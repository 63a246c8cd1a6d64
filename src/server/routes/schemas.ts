// Schemas every route shares: the error document, path parameters, pagination. Route schemas are
// the single source of request validation and of the OpenAPI document (openapi.json).
import * as z from 'zod';

export const ErrorDoc = z
  .object({
    error: z.object({
      code: z.string().describe('stable error code, the class name (BranchNotFoundError …)'),
      message: z.string(),
      data: z.unknown(),
    }),
  })
  .describe('Every error: the same codes as the CLI');
z.globalRegistry.add(ErrorDoc, { id: 'Error' });

/**
 * A route's responses: its success shapes, and the error document for every 4xx and 5xx (400
 * validation, 401 credentials, 403 permission, 404, 409 conflict, 412 precondition, 413, 429,
 * 500, 503 — server/errors.ts maps them).
 */
export function withErrors<R extends Record<number, z.ZodType>>(ok: R) {
  return { ...ok, '4xx': ErrorDoc, '5xx': ErrorDoc };
}

export const RepoParams = z.object({ repository: z.string().min(1).max(200) });
export const BranchParams = RepoParams.extend({ branch: z.string().min(1).max(1000) });
export const RefParams = RepoParams.extend({ ref: z.string().min(1).max(1000) });

/** `?after=&amount=`: lakeFS's cursor pagination (the last key of the page before). */
export const PageQuery = z.object({
  after: z.string().max(4096).optional().describe('return results after this key'),
  amount: z.coerce.number().int().min(1).max(1000).default(100),
  prefix: z.string().max(4096).optional(),
});

export const Pagination = z.object({
  hasMore: z.boolean(),
  /** The cursor for the next page (`after=`), when there is one. */
  nextOffset: z.string().optional(),
  results: z.number().int(),
  maxPerPage: z.number().int(),
});

/** A page of `items` asked with `amount`: one more was fetched to know whether more exist. */
export function page<T>(
  fetched: T[],
  amount: number,
  keyOf: (item: T) => string,
): { results: T[]; pagination: z.infer<typeof Pagination> } {
  const results = fetched.slice(0, amount);
  const hasMore = fetched.length > amount;
  const last = results.at(-1);
  return {
    results,
    pagination: {
      hasMore,
      ...(hasMore && last !== undefined ? { nextOffset: keyOf(last) } : {}),
      results: results.length,
      maxPerPage: amount,
    },
  };
}

/** The first `n` items of an async iterable. */
export async function take<T>(it: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  if (n <= 0) return out;
  for await (const x of it) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
}
