// The workflow configuration as the rest of the workflow layer reads it: typed, camelCase, every
// default filled in (the section schemas read the YAML's snake_case; their `to…` functions
// convert). Absent environments stay undefined: STAGING_DEFAULTS / PRODUCTION_DEFAULTS say what
// to assume.
import type { WriteMode } from '../../tables/ingest.js';
import type { CsvOptions, IngestFormat } from '../../tables/sources.js';
import type { JsonPath } from '../sources/json-path.js';

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
