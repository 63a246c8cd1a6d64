// An ingestor as written — in `sluice.yml`'s `ingestors:` or an `ingestors/*.yml` file — and as
// the workflow reads it: `files` (a path or glob inside the repository, CSV options) or `rest`
// (a GET endpoint, its headers, where its records are, its pagination, retries and timeouts).
import { existsSync, statSync } from 'node:fs';
import * as z from 'zod';
import type { WriteMode } from '../../tables/ingest.js';
import type { CsvOptions } from '../../tables/sources.js';
import {
  branchName,
  columnList,
  cron,
  DEFAULT_BACKOFF_MS,
  DEFAULT_TIMEOUT_MS,
  duration,
  headers,
  httpUrl,
  INGEST_FORMATS,
  ingestorName,
  jsonPath,
  ROOT_PATH,
  singleChar,
  tableName,
  WRITE_MODES,
} from './fields.js';
import { checkRepoRelativePath } from './repo-paths.js';
import type { ConfigOrigin, Ingestor, Pagination } from './types.js';

const csvSchema = z.strictObject({
  delimiter: singleChar.optional(),
  header: z.boolean().optional(),
  quote: singleChar.optional(),
  escape: singleChar.optional(),
  names: z.array(z.string().min(1)).min(1).optional(),
  null_values: z.union([z.string().transform((s) => [s]), z.array(z.string())]).optional(),
  decimal_separator: z.enum(['.', ',']).optional(),
  date_format: z.string().min(1).optional(),
  timestamp_format: z.string().min(1).optional(),
});

const paginationSchema = z.preprocess(
  // `pagination: page` is the page type with its defaults (and `none` is none).
  (v) => (typeof v === 'string' ? { type: v } : v),
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('none') }),
      z
        .strictObject({
          type: z.literal('page'),
          param: z.string().min(1).default('page'),
          start: z.int().min(0).default(1),
          size_param: z.string().min(1).optional(),
          size: z.int().positive().optional(),
        })
        .superRefine((p, ctx) => {
          if (p.size_param !== undefined && p.size === undefined)
            ctx.addIssue({
              code: 'custom',
              path: ['size'],
              message: 'size_param is sent with size: give the page size',
            });
        }),
      z.strictObject({
        type: z.literal('cursor'),
        param: z.string().min(1).default('cursor'),
        next: jsonPath,
      }),
      z.strictObject({ type: z.literal('link'), next: jsonPath }),
    ],
    { error: 'one of none, page, cursor, link' },
  ),
);

/** Fields every ingestor has (snake_case as written). */
function commonFields(repoDir: string) {
  return {
    name: ingestorName,
    table: tableName,
    mode: z.enum(WRITE_MODES).default('append'),
    key: columnList.optional(),
    partition_by: columnList.optional(),
    checks: z
      .union([
        z.boolean(),
        z
          .string()
          .min(1)
          .transform((p, ctx) => {
            let abs: string;
            try {
              abs = checkRepoRelativePath(repoDir, p, 'checks file');
            } catch (err) {
              ctx.addIssue({ code: 'custom', message: (err as Error).message });
              return z.NEVER;
            }
            if (!existsSync(abs) || !statSync(abs).isFile()) {
              ctx.addIssue({ code: 'custom', message: `checks file ${p} does not exist` });
              return z.NEVER;
            }
            return abs;
          }),
      ])
      .default(true),
    schedule: cron.optional(),
    into: branchName.default('main'),
  };
}

const needsKey = (i: { mode: WriteMode; key?: string[] }, ctx: z.RefinementCtx): void => {
  if (i.mode === 'upsert' && !i.key?.length)
    ctx.addIssue({ code: 'custom', path: ['key'], message: 'mode upsert needs key: [columns]' });
};

export function ingestorSchema(repoDir: string) {
  const files = z
    .strictObject({
      kind: z.literal('files'),
      ...commonFields(repoDir),
      path: z
        .string()
        .min(1)
        .superRefine((p, ctx) => {
          try {
            checkRepoRelativePath(repoDir, p, 'path');
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: (err as Error).message });
          }
        }),
      format: z.enum(INGEST_FORMATS).optional(),
      csv: csvSchema.optional(),
    })
    .superRefine(needsKey);
  const rest = z
    .strictObject({
      kind: z.literal('rest'),
      ...commonFields(repoDir),
      url: httpUrl,
      method: z.literal('GET', { error: 'only GET is supported' }).default('GET'),
      headers: headers.default({}),
      records: jsonPath.optional(),
      pagination: paginationSchema.optional(),
      max_pages: z.int().min(1).default(1000),
      timeout: duration.optional(),
      retries: z.int().min(0).max(20).default(3),
      backoff: duration.optional(),
    })
    .superRefine(needsKey);
  return z.discriminatedUnion('kind', [files, rest], { error: 'files or rest' });
}
export type IngestorInput = z.output<ReturnType<typeof ingestorSchema>>;

export function toIngestor(i: IngestorInput, origin: ConfigOrigin): Ingestor {
  const base = {
    name: i.name,
    table: i.table,
    mode: i.mode,
    ...(i.key ? { key: i.key } : {}),
    ...(i.partition_by ? { partitionBy: i.partition_by } : {}),
    checks: i.checks,
    ...(i.schedule !== undefined ? { schedule: i.schedule } : {}),
    into: i.into,
    origin,
  };
  if (i.kind === 'files') {
    const c = i.csv ?? {};
    const csv: CsvOptions = {
      ...(c.delimiter !== undefined ? { delimiter: c.delimiter } : {}),
      ...(c.header !== undefined ? { header: c.header } : {}),
      ...(c.quote !== undefined ? { quote: c.quote } : {}),
      ...(c.escape !== undefined ? { escape: c.escape } : {}),
      ...(c.names !== undefined ? { names: c.names } : {}),
      ...(c.null_values !== undefined ? { nullValues: c.null_values } : {}),
      ...(c.decimal_separator !== undefined ? { decimalSeparator: c.decimal_separator } : {}),
      ...(c.date_format !== undefined ? { dateFormat: c.date_format } : {}),
      ...(c.timestamp_format !== undefined ? { timestampFormat: c.timestamp_format } : {}),
    };
    return {
      ...base,
      kind: 'files',
      path: i.path,
      ...(i.format ? { format: i.format } : {}),
      csv,
    };
  }
  const p = i.pagination ?? { type: 'none' as const };
  const pagination: Pagination =
    p.type === 'page'
      ? {
          type: 'page',
          param: p.param,
          start: p.start,
          ...(p.size_param !== undefined ? { sizeParam: p.size_param } : {}),
          ...(p.size !== undefined ? { size: p.size } : {}),
        }
      : p;
  return {
    ...base,
    kind: 'rest',
    url: i.url,
    method: i.method,
    headers: i.headers,
    records: i.records ?? ROOT_PATH,
    pagination,
    maxPages: i.max_pages,
    timeoutMs: i.timeout ?? DEFAULT_TIMEOUT_MS,
    retries: i.retries,
    backoffMs: i.backoff ?? DEFAULT_BACKOFF_MS,
  };
}
