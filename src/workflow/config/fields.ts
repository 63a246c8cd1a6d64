// The field rules the section schemas share: names (ingestor, table, branch, alias, column),
// durations, cron expressions, JSON paths, header values and URLs with `${NAME}` references, and
// the defaults the typed configuration fills in. Each is a zod schema whose message says what is
// expected, so an InvalidConfigError reads "expected …" at the field's line.
import * as z from 'zod';
import { headers, httpUrl } from '../../common/http-fields.js';
import { validateRefName } from '../../common/ids.js';
import { parseTableName } from '../../engine/tables.js';
import type { WriteMode } from '../../tables/ingest.js';
import type { IngestFormat } from '../../tables/sources.js';
import { validateCron } from '../schedule.js';
import { type JsonPath, parseJsonPath } from '../sources/json-path.js';

export { headers, httpUrl };

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_ALERT_TIMEOUT_MS = 10_000;
export const DEFAULT_BACKOFF_MS = 500;

/** Something that fails a zod check with the message of the error it throws. */
export const checked = (check: (s: string) => unknown) =>
  z.string().superRefine((s, ctx) => {
    try {
      check(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    }
  });

export const ingestorName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'a name of letters, digits, _ and - (starting with a letter or digit, at most 64)',
  );
export const tableName = checked(parseTableName);
export const branchName = checked((s) => validateRefName(s, 'branch'));
export const aliasName = checked((s) => validateRefName(s, 'alias'));
const column = z.string().min(1, 'a column name');
export const columnList = z.union([
  column.transform((s) => [s]),
  z.array(column).min(1, 'at least one column'),
]);

const DURATION = /^(\d+)(ms|s|m|h)$/;
export const duration = z
  .string()
  .regex(DURATION, 'a duration such as 500ms, 30s, 5m or 1h')
  .transform((s) => {
    const [, n, unit] = DURATION.exec(s) as RegExpExecArray;
    const f = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    return Number(n) * f;
  });

/** A cron expression, checked by the scheduler's own rule (the one it will run it with). */
export const cron = checked((s) => {
  try {
    validateCron(s, { what: 'schedule' });
  } catch (err) {
    throw new Error((err as Error).message.replace(/^schedule: /, ''));
  }
});

export const jsonPath = z.string().transform((s, ctx): JsonPath => {
  const p = parseJsonPath(s);
  if (typeof p === 'string') {
    ctx.addIssue({ code: 'custom', message: p });
    return z.NEVER;
  }
  return p;
});
export const ROOT_PATH = parseJsonPath('$') as JsonPath;

export const singleChar = z
  .string()
  .transform((s) => (s === '\\t' ? '\t' : s))
  .refine((s) => s.length === 1, 'a single character (\\t for a tab)');

export const INGEST_FORMATS = [
  'csv',
  'json',
  'ndjson',
  'parquet',
] as const satisfies IngestFormat[];
export const WRITE_MODES = ['append', 'overwrite', 'upsert'] as const satisfies WriteMode[];
