// The workflow sections of `sluice.yml` — `ingestors:`, `environments:`, `alerts:`, `schedule:` —
// and the files `ingestors/*.yml` (one ingestor each, or a list). The rest of `sluice.yml` belongs
// to other layers (`gates:` to quality/, `name:`/`paths:` to pipeline/) and is not looked at here.
//
//   ingestors:
//     - name: orders                     # the run branch is ingest/orders/<run-id>
//       kind: rest                       # or files (path: exports/*.csv)
//       url: https://api.example.com/orders
//       headers: {Authorization: "Bearer ${ORDERS_TOKEN}"}   # resolved when the run starts
//       records: $.data                  # where the records array is in each response
//       pagination: {type: cursor, param: after, next: $.next_cursor}
//       table: orders
//       mode: upsert                     # append (default) | overwrite | upsert
//       key: [id]
//       schedule: "*/5 * * * *"
//   environments:
//     staging: {from: main, sample: {fraction: 0.1, seed: 42}, mask: {customers.email: hash},
//               build: {exclude: raw_orders}}   # or true (the default) / false
//     production: {smoke: {select: "tag:smoke"}}
//   alerts:
//     - {name: team, kind: slack, url: "https://hooks.slack.com/services/${SLACK_HOOK}"}
//   schedule:
//     builds: [{cron: "0 * * * *", branch: staging}]
//
// Everything is checked once, here: a problem is an InvalidConfigError naming the file, the line
// and the field, and an unknown key is one too (a typo must not silently turn a feature off).
// Absent sections are empty. Environment variables in header values are only checked for syntax
// here; their values are read when a run needs them (resolveHeaders), and are never printed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { parseConfig } from '../common/config-schema.js';
import { InvalidConfigError, InvalidPathError, MissingEnvVarError } from '../common/errors.js';
import { validateRefName } from '../common/ids.js';
import { formatField, readYamlText, type YamlFile } from '../common/yaml-file.js';
import { parseTableName } from '../engine/tables.js';
import type { WriteMode } from '../tables/ingest.js';
import type { CsvOptions, IngestFormat } from '../tables/sources.js';
import { validateCron } from './schedule.js';
import { type JsonPath, parseJsonPath } from './sources/json-path.js';

// ---- the typed configuration ----------------------------------------------------------------

/** Where a configured item was declared: the file (relative to the repository directory) and line. */
export interface ConfigOrigin {
  file: string;
  line: number;
}

export type Pagination =
  | { type: 'none' }
  /** `param` = start, start+1, …; stops at a page with no records, or fewer than `size`. */
  | { type: 'page'; param: string; start: number; sizeParam?: string; size?: number }
  /** The first request has no `param`; each next one sends the cursor found at `next`. */
  | { type: 'cursor'; param: string; next: JsonPath }
  /** Follows the URL found at `next` (relative to the current page; same origin only). */
  | { type: 'link'; next: JsonPath };

/** What fetching a REST source needs (the `rest` ingestor without its table side). */
export interface RestSource {
  url: string;
  method: 'GET';
  /** Values may hold `${ENV_VAR}`, resolved at run time by resolveHeaders. */
  headers: Record<string, string>;
  /** Where the records array is in each response body (`$` = the body is the array). */
  records: JsonPath;
  pagination: Pagination;
  /** More pages than this is an error, not a silent truncation. */
  maxPages: number;
  /** Per request (headers and body). */
  timeoutMs: number;
  /** Retries after the first attempt, for 5xx, 429, network errors and timeouts. */
  retries: number;
  /** Exponential backoff: waits backoffMs, 2×, 4×, … between attempts. */
  backoffMs: number;
}

interface IngestorBase {
  /** Letters, digits, `_` and `-`: it names the run branches `ingest/<name>/<run-id>`. */
  name: string;
  table: string;
  mode: WriteMode;
  /** Primary key columns; required for upsert. */
  key?: string[];
  partitionBy?: string[];
  /**
   * `true`: the table's checks (checks/*.yml, models/*.yml); `false`: none of its own (gates
   * still run theirs); a string: the absolute path of a checks YAML file inside the repository.
   */
  checks: boolean | string;
  /** A cron expression (5 fields, or 6 with seconds first; `@hourly` and the like). */
  schedule?: string;
  /** The branch a run merges into; default `main`. */
  into: string;
  origin: ConfigOrigin;
}

export interface FilesIngestor extends IngestorBase {
  kind: 'files';
  /** A file, directory or glob, relative to the repository directory (resolveFilesSource). */
  path: string;
  format?: IngestFormat;
  csv: CsvOptions;
}

export interface RestIngestor extends IngestorBase, RestSource {
  kind: 'rest';
}

export type Ingestor = FilesIngestor | RestIngestor;

export type MaskMethod = 'hash' | 'redact';
export interface MaskRule {
  table: string;
  column: string;
  method: MaskMethod;
}

export interface StagingEnvironment {
  /** The branch promoted from; default `main`. */
  from: string;
  /** Default `staging`. */
  branch: string;
  /** Run the project's build on the promoted data; default true. */
  build: boolean;
  /**
   * Which of the project's nodes that build runs, in `sluice build --select/--exclude` syntax
   * (`build: {select: …, exclude: …}`); everything when absent. Excluding a seed leaves the table
   * of that name as the promoted data has it — e.g. one an ingestor loads.
   */
  buildSelect?: string[];
  buildExclude?: string[];
  /** Deterministic sampling: the same seed keeps the same rows. All tables unless `tables`. */
  sample?: { fraction: number; seed: number; tables?: string[] };
  mask: MaskRule[];
}

export interface ProductionEnvironment {
  /** The branch deployed from; default `staging`. */
  from: string;
  /** The two colours; default production-blue and production-green. */
  branches: [string, string];
  /** The alias readers use; default `production`. */
  alias: string;
  /** The smoke checks run on the idle colour before the flip: a check/test selector. */
  smoke?: { select: string };
}

/** Absent environments are undefined: STAGING_DEFAULTS / PRODUCTION_DEFAULTS say what to assume. */
export interface EnvironmentsConfig {
  staging?: StagingEnvironment;
  production?: ProductionEnvironment;
}

export const STAGING_DEFAULTS: Readonly<StagingEnvironment> = Object.freeze({
  from: 'main',
  branch: 'staging',
  build: true,
  mask: [],
});
export const PRODUCTION_DEFAULTS: Readonly<ProductionEnvironment> = Object.freeze({
  from: 'staging',
  branches: ['production-blue', 'production-green'] as [string, string],
  alias: 'production',
});

/** An `alerts:` entry (alerts.ts's AlertSink once its `${VAR}` references are resolved). */
export interface AlertConfig {
  name: string;
  /** `webhook`: the event as JSON; `slack`: a Slack-compatible `{text, blocks}` message. */
  kind: 'webhook' | 'slack';
  url: string;
  /** Values may hold `${ENV_VAR}` (resolveHeaders). */
  headers: Record<string, string>;
  /**
   * Event types to deliver (as the event log names them; `prefix.*` matches a family), plus
   * `failures` (every event whose outcome is a failure, the default) and `*` (everything).
   */
  on: string[];
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  origin: ConfigOrigin;
}

export interface ScheduledBuild {
  cron: string;
  branch?: string;
  /** A node selector for the build (`tag:nightly`); all models when absent. */
  select?: string;
}

export interface ScheduleConfig {
  builds: ScheduledBuild[];
}

export interface WorkflowConfig {
  ingestors: Ingestor[];
  environments: EnvironmentsConfig;
  alerts: AlertConfig[];
  schedule: ScheduleConfig;
  /** The files read, relative to the repository directory. */
  files: string[];
}

// ---- shared field rules -------------------------------------------------------------------

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_ALERT_TIMEOUT_MS = 10_000;
const DEFAULT_BACKOFF_MS = 500;

/** Something that fails a zod check with the message of the error it throws. */
const checked = (check: (s: string) => unknown) =>
  z.string().superRefine((s, ctx) => {
    try {
      check(s);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
    }
  });

const ingestorName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    'a name of letters, digits, _ and - (starting with a letter or digit, at most 64)',
  );
const tableName = checked(parseTableName);
const branchName = checked((s) => validateRefName(s, 'branch'));
const aliasName = checked((s) => validateRefName(s, 'alias'));
const column = z.string().min(1, 'a column name');
const columnList = z.union([
  column.transform((s) => [s]),
  z.array(column).min(1, 'at least one column'),
]);

const DURATION = /^(\d+)(ms|s|m|h)$/;
const duration = z
  .string()
  .regex(DURATION, 'a duration such as 500ms, 30s, 5m or 1h')
  .transform((s) => {
    const [, n, unit] = DURATION.exec(s) as RegExpExecArray;
    const f = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    return Number(n) * f;
  });

/** A cron expression, checked by the scheduler's own rule (the one it will run it with). */
const cron = checked((s) => {
  try {
    validateCron(s, { what: 'schedule' });
  } catch (err) {
    throw new Error((err as Error).message.replace(/^schedule: /, ''));
  }
});

const jsonPath = z.string().transform((s, ctx): JsonPath => {
  const p = parseJsonPath(s);
  if (typeof p === 'string') {
    ctx.addIssue({ code: 'custom', message: p });
    return z.NEVER;
  }
  return p;
});
const ROOT_PATH = parseJsonPath('$') as JsonPath;

const ENV_REF = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Problems with the `${NAME}` references in a configured value (none: an empty list). */
function envRefProblems(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(ENV_REF)) {
    if (!ENV_NAME.test(m[1] ?? ''))
      out.push(`\${${m[1]}} is not an environment variable name (letters, digits and _)`);
  }
  if (s.replace(ENV_REF, '').includes('${')) out.push('"$' + '{" without a closing "}"');
  return out;
}
/** A header value: text with `${NAME}` references to environment variables. */
const headerValue = z.string().superRefine((s, ctx) => {
  for (const message of envRefProblems(s)) ctx.addIssue({ code: 'custom', message });
});
const HTTP_URL = z.url({ protocol: /^https?$/ });
/**
 * An http(s) URL, which may hold `${NAME}` references (a Slack webhook URL is itself the secret):
 * checked as a URL with each reference standing in as text, unless one stands for its start.
 */
const httpUrl = z
  .string()
  .min(1, 'an http:// or https:// URL')
  .superRefine((s, ctx) => {
    const problems = envRefProblems(s);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    if (problems.length > 0 || /^\$\{/.test(s)) return;
    if (!HTTP_URL.safeParse(s.replace(ENV_REF, 'x')).success)
      ctx.addIssue({ code: 'custom', message: 'an http:// or https:// URL' });
  });
const headers = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name'),
  headerValue,
);

const singleChar = z
  .string()
  .transform((s) => (s === '\\t' ? '\t' : s))
  .refine((s) => s.length === 1, 'a single character (\\t for a tab)');

const INGEST_FORMATS = ['csv', 'json', 'ndjson', 'parquet'] as const satisfies IngestFormat[];
const WRITE_MODES = ['append', 'overwrite', 'upsert'] as const satisfies WriteMode[];

/** Is `p` (relative to `root`, or absolute) inside `root`, lexically? */
export function isInsideDir(root: string, p: string): boolean {
  const rel = relative(resolve(root), resolve(root, p));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * Refuses a configured path that leaves the repository directory or points into `.sluice/` (the
 * repository's own storage): InvalidPathError with reason `path traversal`.
 */
export function checkRepoRelativePath(repoDir: string, p: string, what: string): string {
  // In a glob, `..` can hide where resolution cannot see it (`{data,../x}/*.csv`): never allowed.
  const globUp = /[*?[\]{}]/.test(p) && /(^|[/\\{,])\.\.([/\\},]|$)/.test(p);
  if (globUp || !isInsideDir(repoDir, p)) {
    throw new InvalidPathError(
      `${what} ${JSON.stringify(p)} leaves the repository directory (path traversal)`,
      { path: p, reason: 'path traversal' },
    );
  }
  const rel = relative(resolve(repoDir), resolve(repoDir, p));
  if (rel === '.sluice' || rel.startsWith(`.sluice${sep}`)) {
    throw new InvalidPathError(
      `${what} ${JSON.stringify(p)} points into .sluice/, the repository's own storage`,
      { path: p, reason: 'path traversal' },
    );
  }
  return resolve(repoDir, p);
}

// ---- section schemas --------------------------------------------------------------------------

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

function ingestorSchema(repoDir: string) {
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
type IngestorInput = z.output<ReturnType<typeof ingestorSchema>>;

function toIngestor(i: IngestorInput, origin: ConfigOrigin): Ingestor {
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

const nullIsEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null ? {} : v), schema);

/** Node selectors as `sluice build --select` takes them: one string (space-separated) or a list. */
const selectors = z.union([
  z
    .string()
    .trim()
    .min(1, 'a selector')
    .transform((s) => [s]),
  z.array(z.string().trim().min(1, 'a selector')).min(1, 'at least one selector'),
]);

const MASK_KEY = /^([A-Za-z_][A-Za-z0-9_]{0,127})\.(.+)$/;
const stagingSchema = z
  .strictObject({
    from: branchName.default('main'),
    branch: branchName.default('staging'),
    build: z
      .union(
        [
          z.boolean(),
          z.strictObject({ select: selectors.optional(), exclude: selectors.optional() }),
        ],
        {
          error: 'true, false or {select: …, exclude: …}',
        },
      )
      .default(true),
    sample: z
      .strictObject({
        fraction: z
          .number()
          .gt(0, 'a fraction: 0 < fraction ≤ 1')
          .lte(1, 'a fraction: 0 < fraction ≤ 1'),
        seed: z.int().default(0),
        tables: z.array(tableName).min(1).optional(),
      })
      .optional(),
    mask: z
      .record(
        z.string().regex(MASK_KEY, 'a "table.column" name'),
        z.enum(['hash', 'redact'], { error: 'hash or redact' }),
      )
      .default({}),
  })
  .superRefine((s, ctx) => {
    if (s.branch === s.from)
      ctx.addIssue({
        code: 'custom',
        path: ['branch'],
        message: `staging cannot be its own source branch (${s.from})`,
      });
  });

const productionSchema = z
  .strictObject({
    from: branchName.default('staging'),
    branches: z
      .tuple([branchName, branchName], { error: 'two branches: [blue, green]' })
      .default(['production-blue', 'production-green']),
    alias: aliasName.default('production'),
    smoke: z.strictObject({ select: z.string().trim().min(1) }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.branches[0] === p.branches[1])
      ctx.addIssue({ code: 'custom', path: ['branches'], message: 'the two colours must differ' });
    if (p.branches.includes(p.alias))
      ctx.addIssue({
        code: 'custom',
        path: ['alias'],
        message: `the alias cannot be one of its branches (${p.alias})`,
      });
    if (p.branches.includes(p.from))
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `production cannot deploy from one of its own colours (${p.from})`,
      });
  });

const environmentsSchema = z.strictObject({
  staging: nullIsEmpty(stagingSchema).optional(),
  production: nullIsEmpty(productionSchema).optional(),
});

const EVENT_SELECTOR = /^(\*|[A-Za-z][A-Za-z0-9_-]*(\.([A-Za-z0-9_-]+|\*))*)$/;
const alertSchema = z.strictObject({
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

const scheduleSchema = z.strictObject({
  builds: z
    .array(
      z.strictObject({
        cron,
        branch: branchName.optional(),
        select: z.string().trim().min(1).optional(),
      }),
    )
    .default([]),
});

// ---- reading files, with line numbers --------------------------------------------------------

type Path = (string | number)[];

function configError(file: string, line: number, field: string, reason: string): never {
  throw new InvalidConfigError(`${file}:${line}: ${field ? `${field}: ` : ''}${reason}`, {
    file,
    line,
    ...(field ? { field } : {}),
    reason,
  });
}

function readYamlFile(repoDir: string, abs: string): YamlFile {
  const file = relative(repoDir, abs).split(sep).join('/');
  return readYamlText(readFileSync(abs, 'utf8'), file, (line, field, reason) =>
    configError(file, line, field, reason),
  );
}

/** Parses `value` (found at `base` in `y`); the first problem is an InvalidConfigError. */
function parseIn<S extends z.ZodType>(
  schema: S,
  y: YamlFile,
  value: unknown,
  base: Path,
): z.output<S> {
  return parseConfig(schema, y, value, base, (line, field, reason) =>
    configError(y.file, line, field, reason),
  );
}

// ---- loading -----------------------------------------------------------------------------

const SECTIONS = ['ingestors', 'environments', 'alerts', 'schedule'] as const;

/**
 * Reads the workflow configuration of the repository in `repoDir`: `sluice.yml` (or
 * `sluice.yaml`) and `ingestors/*.yml`. Nothing at all is an empty configuration.
 */
export function loadWorkflowConfig(repoDir: string): WorkflowConfig {
  const root = resolve(repoDir);
  const config: WorkflowConfig = {
    ingestors: [],
    environments: {},
    alerts: [],
    schedule: { builds: [] },
    files: [],
  };
  const ingestorSeen = new Map<string, ConfigOrigin>();
  const schema = ingestorSchema(root);
  /** One ingestor, found at `path` in `y`. */
  const addIngestor = (y: YamlFile, raw: unknown, path: Path): void => {
    const parsed = parseIn(schema, y, raw, path);
    const origin = { file: y.file, line: y.lineAt(path) };
    const first = ingestorSeen.get(parsed.name);
    if (first)
      configError(
        y.file,
        y.lineAt([...path, 'name']),
        formatField([...path, 'name']),
        `ingestor ${parsed.name} is already declared at ${first.file}:${first.line}`,
      );
    ingestorSeen.set(parsed.name, origin);
    config.ingestors.push(toIngestor(parsed, origin));
  };

  const main = ['sluice.yml', 'sluice.yaml'].map((f) => join(root, f)).find((f) => existsSync(f));
  if (main) {
    const y = readYamlFile(root, main);
    config.files.push(y.file);
    const doc = y.value ?? {};
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      configError(y.file, 1, '', 'expected a mapping of sections (name:, gates:, ingestors:, …)');
    const sections = doc as Record<string, unknown>;
    const present = (k: (typeof SECTIONS)[number]) =>
      sections[k] !== undefined && sections[k] !== null;
    if (present('ingestors')) {
      if (!Array.isArray(sections.ingestors))
        configError(y.file, y.lineAt(['ingestors']), 'ingestors', 'expected a list of ingestors');
      const list = sections.ingestors as unknown[];
      for (let i = 0; i < list.length; i++) addIngestor(y, list[i], ['ingestors', i]);
    }
    if (present('environments')) {
      const e = parseIn(environmentsSchema, y, sections.environments, ['environments']);
      if (e.staging) {
        config.environments.staging = {
          from: e.staging.from,
          branch: e.staging.branch,
          build: e.staging.build !== false,
          ...(typeof e.staging.build === 'object' && e.staging.build.select
            ? { buildSelect: e.staging.build.select }
            : {}),
          ...(typeof e.staging.build === 'object' && e.staging.build.exclude
            ? { buildExclude: e.staging.build.exclude }
            : {}),
          ...(e.staging.sample ? { sample: e.staging.sample } : {}),
          mask: Object.entries(e.staging.mask).map(([k, method]) => {
            const [, table, column] = MASK_KEY.exec(k) as RegExpExecArray;
            return { table: table as string, column: column as string, method };
          }),
        };
      }
      if (e.production) {
        config.environments.production = {
          from: e.production.from,
          branches: e.production.branches,
          alias: e.production.alias,
          ...(e.production.smoke ? { smoke: e.production.smoke } : {}),
        };
      }
    }
    if (present('alerts')) {
      const alerts = parseIn(z.array(alertSchema), y, sections.alerts, ['alerts']);
      const seen = new Map<string, number>();
      alerts.forEach((a, i) => {
        const line = y.lineAt(['alerts', i]);
        const first = seen.get(a.name);
        if (first !== undefined)
          configError(
            y.file,
            y.lineAt(['alerts', i, 'name']),
            `alerts[${i}].name`,
            `alert ${a.name} is already declared at line ${first}`,
          );
        seen.set(a.name, line);
        config.alerts.push({
          name: a.name,
          kind: a.kind,
          url: a.url,
          headers: a.headers,
          on: a.on,
          timeoutMs: a.timeout ?? DEFAULT_ALERT_TIMEOUT_MS,
          retries: a.retries,
          backoffMs: a.backoff ?? DEFAULT_BACKOFF_MS,
          origin: { file: y.file, line },
        });
      });
    }
    if (present('schedule')) {
      const s = parseIn(scheduleSchema, y, sections.schedule, ['schedule']);
      config.schedule = {
        builds: s.builds.map((b) => ({
          cron: b.cron,
          ...(b.branch !== undefined ? { branch: b.branch } : {}),
          ...(b.select !== undefined ? { select: b.select } : {}),
        })),
      };
    }
  }

  const dir = join(root, 'ingestors');
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const names = readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith('.'))
      .sort();
    for (const name of names) {
      const y = readYamlFile(root, join(dir, name));
      config.files.push(y.file);
      if (y.value === undefined || y.value === null) continue;
      if (Array.isArray(y.value)) {
        for (let i = 0; i < y.value.length; i++) addIngestor(y, y.value[i], [i]);
      } else if (typeof y.value === 'object') addIngestor(y, y.value, []);
      else configError(y.file, 1, '', 'expected an ingestor (a mapping) or a list of them');
    }
  }
  return config;
}

/** The ingestor called `name`; an InvalidConfigError listing the declared ones otherwise. */
export function findIngestor(config: WorkflowConfig, name: string): Ingestor {
  const found = config.ingestors.find((i) => i.name === name);
  if (found) return found;
  const known = config.ingestors.map((i) => i.name);
  const file = config.files[0] ?? 'sluice.yml';
  throw new InvalidConfigError(
    `no ingestor ${JSON.stringify(name)} in ${config.files.join(', ') || 'sluice.yml or ingestors/*.yml'}` +
      (known.length ? ` (declared: ${known.join(', ')})` : ' (none is declared)'),
    { file, reason: 'unknown ingestor', field: 'ingestors' },
  );
}

// ---- environment variables ------------------------------------------------------------------

export type Env = Record<string, string | undefined>;

/**
 * Replaces each `${NAME}` in `value` by the environment variable's value. A variable that is not
 * set is a MissingEnvVarError naming it and `where` — never any value.
 */
export function resolveEnvRefs(value: string, env: Env, where: string): string {
  return value.replace(ENV_REF, (_, name: string) => {
    const v = env[name];
    if (v === undefined)
      throw new MissingEnvVarError(`${where}: the environment variable ${name} is not set`, {
        variable: name,
        where,
      });
    return v;
  });
}

/** The values of the environment variables `value` refers to: what must not be printed. */
function secretsOf(value: string, env: Env): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(ENV_REF)) {
    const v = env[m[1] as string];
    if (v) out.push(v);
  }
  return out;
}

/**
 * Headers with their `${NAME}` references resolved from `env` (default process.env), and the
 * values that came from the environment — the secrets a caller must keep out of messages.
 */
export function resolveHeaders(
  headers: Record<string, string>,
  where: string,
  env: Env = process.env,
): { headers: Record<string, string>; secrets: string[] } {
  const out: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    out[name] = resolveEnvRefs(value, env, `${where}: header ${name}`);
    for (const v of secretsOf(value, env)) secrets.add(v);
  }
  return { headers: out, secrets: [...secrets] };
}

/** A URL with its `${NAME}` references resolved, and the values that must not be printed. */
export function resolveUrl(
  url: string,
  where: string,
  env: Env = process.env,
): { url: string; secrets: string[] } {
  return { url: resolveEnvRefs(url, env, `${where}: url`), secrets: secretsOf(url, env) };
}

/** Where an ingestor or alert was declared, for run-time messages: `sluice.yml:12: ingestor orders`. */
export function describeOrigin(
  kind: 'ingestor' | 'alert',
  item: { name: string; origin: ConfigOrigin },
): string {
  return `${item.origin.file}:${item.origin.line}: ${kind} ${item.name}`;
}
