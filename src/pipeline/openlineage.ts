// OpenLineage run events for one build (spec 2-0-2, https://openlineage.io/spec): START when the
// build begins, COMPLETE or FAIL when it ends, with the datasets the build read (inputs) and
// wrote (outputs). A lineage server (Marquez, DataHub, …) or a JSON Lines file receives them.
import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InternalError, InvalidArgumentError } from '../common/errors.js';
import { redactUrl, Secrets } from '../common/secrets.js';
import { iso } from './artifacts.js';
import type { BuildRun, GraphNode, NodeResult, ProjectGraph } from './types.js';

export const RUN_EVENT_SCHEMA_URL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent';
export const DEFAULT_PRODUCER = 'https://github.com/sluice/sluice';
export const DEFAULT_LINEAGE_TIMEOUT_MS = 5000;

const FACETS = 'https://openlineage.io/spec/facets';
export const FACET_SCHEMA_URLS = {
  schema: `${FACETS}/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`,
  dataQualityAssertions: `${FACETS}/1-0-1/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet`,
  outputStatistics: `${FACETS}/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet`,
  errorMessage: `${FACETS}/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`,
  jobType: `${FACETS}/2-0-2/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`,
} as const;

export interface LineageTarget {
  /** Append the events to this file, one JSON document per line. */
  file?: string;
  /** POST each event to this URL (an OpenLineage HTTP endpoint, e.g. Marquez `/api/v1/lineage`). */
  url?: string;
  /** Per request; default 5000 ms. */
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** Every facet names who produced it and the schema it follows. */
export interface Facet {
  _producer: string;
  _schemaURL: string;
  [field: string]: unknown;
}

export interface InputDataset {
  namespace: string;
  name: string;
  facets: Record<string, Facet>;
  inputFacets: Record<string, Facet>;
}

export interface OutputDataset {
  namespace: string;
  name: string;
  facets: Record<string, Facet>;
  outputFacets: Record<string, Facet>;
}

export interface RunEvent {
  eventType: 'START' | 'COMPLETE' | 'FAIL';
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets: Record<string, Facet> };
  job: { namespace: string; name: string; facets: Record<string, Facet> };
  inputs: InputDataset[];
  outputs: OutputDataset[];
}

export interface LineageCheck {
  name: string;
  column?: string;
  success: boolean;
}

interface EventOptions {
  /** The namespace of the job and of every dataset (e.g. `sluice://<repo>/<branch>`). */
  namespace: string;
  producer?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OpenLineage runId of a build: the run id itself when it is a UUID, else a UUID (v4-shaped)
 * derived from it, so the same run always gets the same runId (START and COMPLETE match).
 */
export function lineageRunId(runId: string): string {
  if (UUID.test(runId)) return runId.toLowerCase();
  const h = createHash('sha256').update(`sluice:openlineage-run:${runId}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40; // version 4
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The event sent when a build starts. */
export function startEvent(
  run: Pick<BuildRun, 'id' | 'project' | 'branch' | 'startedAt'>,
  opts: EventOptions,
): RunEvent {
  const producer = checkOptions(opts);
  return {
    eventType: 'START',
    eventTime: iso(run.startedAt, 'run.startedAt'),
    producer,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: lineageRunId(run.id), facets: {} },
    job: jobOf(run.project, opts.namespace, producer),
    inputs: [],
    outputs: [],
  };
}

/**
 * The event sent when a build ends: COMPLETE if it succeeded, FAIL (with an `errorMessage` run
 * facet) if not. Outputs are the tables models and seeds wrote (built or reused); inputs are the
 * tables those models read that this run did not write (sources, seeds and models built before).
 * `checks` (by model uniqueId) become `dataQualityAssertions` facets on the dataset they checked.
 */
export function completeEvent(
  run: BuildRun,
  graph: ProjectGraph,
  opts: EventOptions & { checks?: Map<string, LineageCheck[]> },
): RunEvent {
  const producer = checkOptions(opts);
  const ns = opts.namespace;
  const failed = run.status !== 'success';
  const written = run.results.filter(
    (r) => (r.kind === 'model' || r.kind === 'seed') && isWritten(r),
  );
  const outputs = outputDatasets(written, graph, { producer, ns, checks: opts.checks });
  const read = tablesReadBy(run, graph, new Set(written.map((r) => r.uniqueId)));
  const outputNames = new Set(outputs.map((o) => o.name));
  const inputs = inputDatasets(read, outputNames, { producer, ns, checks: opts.checks });
  const runFacets: Record<string, Facet> = {};
  if (failed) {
    runFacets.errorMessage = facet(producer, FACET_SCHEMA_URLS.errorMessage, {
      message: firstError(run),
      programmingLanguage: 'SQL',
    });
  }
  return {
    eventType: failed ? 'FAIL' : 'COMPLETE',
    eventTime: iso(run.completedAt, 'run.completedAt'),
    producer,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: lineageRunId(run.id), facets: runFacets },
    job: jobOf(run.project, ns, producer),
    inputs,
    outputs,
  };
}

/** How a dataset's facets are made: the producer, the namespace, the checks by node id. */
interface DatasetFacets {
  producer: string;
  ns: string;
  checks: Map<string, LineageCheck[]> | undefined;
}

/** The tables written (once each; an ephemeral model is inlined, never a table), with their schema, checks and statistics. */
function outputDatasets(
  written: NodeResult[],
  graph: ProjectGraph,
  f: DatasetFacets,
): OutputDataset[] {
  const { producer } = f;
  const outputs: OutputDataset[] = [];
  const outputNames = new Set<string>();
  for (const r of written) {
    const node = graph.nodes.get(r.uniqueId);
    if (node?.materialized === 'ephemeral') continue; // inlined, never a table
    const name = r.relation ?? node?.relation ?? r.name;
    if (outputNames.has(name)) continue;
    outputNames.add(name);
    const facets: Record<string, Facet> = {};
    if (r.columns !== undefined) {
      const docs = new Map((node?.columns ?? []).map((c) => [c.name, c.description]));
      facets.schema = facet(producer, FACET_SCHEMA_URLS.schema, {
        fields: r.columns.map((c) => {
          const description = docs.get(c.name);
          return description ? { name: c.name, type: c.type, description } : { ...c };
        }),
      });
    }
    const assertions = assertionsFacet(producer, f.checks?.get(r.uniqueId));
    // The spec files DataQualityAssertions under InputDatasetFacet; an output dataset has no
    // inputFacets, so the checks of a table this run wrote go with its dataset facets.
    if (assertions) facets.dataQualityAssertions = assertions;
    const outputFacets: Record<string, Facet> = {};
    if (r.rows !== undefined) {
      outputFacets.outputStatistics = facet(producer, FACET_SCHEMA_URLS.outputStatistics, {
        rowCount: r.rows,
        ...(r.bytes !== undefined ? { size: r.bytes } : {}),
      });
    }
    outputs.push({ namespace: f.ns, name, facets, outputFacets });
  }
  return outputs;
}

/**
 * What the models that ran read and this run did not write: their dependencies, through
 * ephemeral models (inlined SQL), by node id.
 */
function tablesReadBy(
  run: BuildRun,
  graph: ProjectGraph,
  writtenIds: Set<string>,
): Map<string, GraphNode> {
  const readers = run.results.filter(
    (r) => r.kind === 'model' && r.status !== 'skipped' && graph.nodes.has(r.uniqueId),
  );
  const read = new Map<string, GraphNode>();
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const dep = graph.nodes.get(id);
    if (dep === undefined) return;
    if (dep.kind === 'model' && dep.materialized === 'ephemeral') {
      for (const d of dep.dependsOn) visit(d);
      return;
    }
    if (dep.kind !== 'model' && dep.kind !== 'seed' && dep.kind !== 'source') return;
    if (writtenIds.has(id)) return;
    read.set(id, dep);
  };
  for (const r of readers) for (const d of graph.nodes.get(r.uniqueId)?.dependsOn ?? []) visit(d);
  return read;
}

/** The tables read, by name (none also written), with their documented schema and checks. */
function inputDatasets(
  read: Map<string, GraphNode>,
  outputNames: Set<string>,
  f: DatasetFacets,
): InputDataset[] {
  const { producer } = f;
  const inputs: InputDataset[] = [];
  const inputNames = new Set<string>();
  for (const [id, dep] of read) {
    const name = dep.relation ?? dep.name;
    if (inputNames.has(name) || outputNames.has(name)) continue;
    inputNames.add(name);
    const facets: Record<string, Facet> = {};
    if (dep.columns.length > 0) {
      facets.schema = facet(producer, FACET_SCHEMA_URLS.schema, {
        fields: dep.columns.map((c) => ({
          name: c.name,
          ...(c.dataType ? { type: c.dataType } : {}),
          ...(c.description ? { description: c.description } : {}),
        })),
      });
    }
    const inputFacets: Record<string, Facet> = {};
    const assertions = assertionsFacet(producer, f.checks?.get(id));
    if (assertions) inputFacets.dataQualityAssertions = assertions;
    inputs.push({ namespace: f.ns, name, facets, inputFacets });
  }
  inputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return inputs;
}

function isWritten(r: NodeResult): boolean {
  return r.status === 'success' || r.status === 'reused';
}

/** The first error of a failed build: a node that errored, else a test that failed. */
function firstError(run: BuildRun): string {
  const r =
    run.results.find((x) => x.status === 'error') ?? run.results.find((x) => x.status === 'fail');
  if (r === undefined) return `build ${run.id} failed`;
  return `${r.uniqueId}: ${r.message ?? (r.status === 'error' ? 'error' : 'test failed')}`;
}

function assertionsFacet(producer: string, checks: LineageCheck[] | undefined): Facet | undefined {
  if (!checks || checks.length === 0) return undefined;
  return facet(producer, FACET_SCHEMA_URLS.dataQualityAssertions, {
    assertions: checks.map((c) => ({
      assertion: c.name,
      success: c.success,
      ...(c.column !== undefined ? { column: c.column } : {}),
    })),
  });
}

function jobOf(project: string, namespace: string, producer: string): RunEvent['job'] {
  return {
    namespace,
    name: `${project}.build`,
    facets: {
      jobType: facet(producer, FACET_SCHEMA_URLS.jobType, {
        processingType: 'BATCH',
        integration: 'SLUICE',
        jobType: 'JOB',
      }),
    },
  };
}

function facet(producer: string, schemaURL: string, fields: Record<string, unknown>): Facet {
  return { _producer: producer, _schemaURL: schemaURL, ...fields };
}

function checkOptions(opts: EventOptions): string {
  if (typeof opts.namespace !== 'string' || opts.namespace.trim() === '') {
    throw new InvalidArgumentError('the OpenLineage namespace must not be empty', {
      argument: 'namespace',
      reason: 'empty',
    });
  }
  const producer = opts.producer ?? DEFAULT_PRODUCER;
  if (producer.trim() === '') {
    throw new InvalidArgumentError('the OpenLineage producer must not be empty', {
      argument: 'producer',
      reason: 'empty',
    });
  }
  return producer;
}

// ---- emitting ---------------------------------------------------------------------------------

/**
 * Sends the events to the target: `file` gets them appended as JSON Lines (parent directories
 * created), `url` gets one `POST` per event, in order, each within `timeoutMs`. With both set
 * both are tried; the first failure is thrown after. A target that answers other than 2xx, or
 * not in time, or not at all, is an InternalError naming the URL and the status.
 */
export async function emitLineage(events: object[], target: LineageTarget): Promise<void> {
  const url = target.url === undefined ? undefined : parseTargetUrl(target.url);
  const timeoutMs = target.timeoutMs ?? DEFAULT_LINEAGE_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError(`the lineage timeout must be a positive number of ms`, {
      argument: 'timeoutMs',
      reason: `got ${timeoutMs}`,
    });
  }
  if (target.file === undefined && url === undefined) {
    throw new InvalidArgumentError('a lineage target needs a file or a url', {
      argument: 'target',
      reason: 'neither file nor url',
    });
  }
  if (target.file === '') {
    throw new InvalidArgumentError('the lineage file must not be empty', {
      argument: 'file',
      reason: 'empty',
    });
  }
  if (events.length === 0) return;

  const errors: unknown[] = [];
  if (target.file !== undefined) {
    try {
      await mkdir(dirname(target.file), { recursive: true });
      await appendFile(target.file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    } catch (err) {
      errors.push(err);
    }
  }
  if (url !== undefined) {
    try {
      for (const event of events) await post(url, event, timeoutMs, target.headers ?? {});
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
}

function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidArgumentError(
      `the lineage url ${JSON.stringify(redactUrl(raw))} is not a URL`,
      {
        argument: 'url',
        reason: 'not a URL',
      },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`the lineage url must be http(s), not ${url.protocol}`, {
      argument: 'url',
      reason: `protocol ${url.protocol}`,
    });
  }
  return url;
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-type') out[k] = v;
  return out;
}

async function post(
  url: URL,
  event: object,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<void> {
  // The URL as it may be printed (no user info, query values masked); every reason scrubbed of
  // the URL's and the headers' secrets — an endpoint may echo the request in its error body.
  const where = redactUrl(url);
  const secrets = new Secrets().add(url.href).addUrl(url).addHeaders(headers);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { ...withoutContentType(headers), 'content-type': 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const timedOut =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const reason = timedOut
      ? `no answer within ${timeoutMs} ms`
      : secrets.scrub(`unreachable (${err instanceof Error ? err.message : String(err)})`);
    throw new InternalError(`OpenLineage endpoint ${where}: ${reason}`, {
      url: where,
      status: null,
      reason,
    });
  }
  // Read the body either way so the connection is released.
  const body = await res.text().catch(() => '');
  if (!res.ok) {
    const reason = secrets.scrub(`HTTP ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    throw new InternalError(`OpenLineage endpoint ${where} answered ${reason}`, {
      url: where,
      status: res.status,
      reason,
    });
  }
}

/**
 * Where a build's run events go when the caller does not say: `openlineage:` in sluice.yml, else
 * the OpenLineage client's own environment variables — `OPENLINEAGE_URL` (+ `OPENLINEAGE_ENDPOINT`,
 * default `api/v1/lineage`), `OPENLINEAGE_API_KEY` (a bearer token), `OPENLINEAGE_NAMESPACE`.
 * `${VAR}` in a configured header value is taken from the environment; a missing one is an error
 * naming the variable (never its value). Undefined: no events.
 */
export function configuredLineage(
  project: {
    dir: string;
    config: { file: string; openlineage?: LineageTarget & { namespace?: string } };
  },
  env: NodeJS.ProcessEnv = process.env,
): (LineageTarget & { namespace?: string }) | undefined {
  const c = project.config.openlineage;
  if (c) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(c.headers ?? {})) {
      headers[name] = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, v: string) => {
        const got = env[v];
        if (got === undefined)
          throw new InvalidArgumentError(
            `${project.config.file}: openlineage.headers.${name} needs the environment variable ${v}, which is not set`,
            { argument: `openlineage.headers.${name}`, reason: `${v} is not set` },
          );
        return got;
      });
    }
    return {
      ...(c.url ? { url: c.url } : {}),
      ...(c.file ? { file: resolve(project.dir, c.file) } : {}),
      ...(c.namespace ? { namespace: c.namespace } : {}),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}),
    };
  }
  const base = env.OPENLINEAGE_URL;
  if (!base) return undefined;
  const endpoint = env.OPENLINEAGE_ENDPOINT ?? 'api/v1/lineage';
  return {
    url: `${base.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`,
    ...(env.OPENLINEAGE_API_KEY
      ? { headers: { Authorization: `Bearer ${env.OPENLINEAGE_API_KEY}` } }
      : {}),
    ...(env.OPENLINEAGE_NAMESPACE ? { namespace: env.OPENLINEAGE_NAMESPACE } : {}),
  };
}
