// The JSON shapes of the workflow's reads as both edges show them: events, outcome metrics,
// sandboxes, lineage and impact — `sluice events|metrics|sandbox|lineage|impact --json` print
// them, the server answers with them, the remote CLI prints a response with the local printer.
// Each shape has its converter; its zod schema (the server's response schema) is in
// wire-workflow-schemas.ts, so the CLI's start does not load zod.
import type { Impact, Lineage } from '../pipeline/lineage.js';
import type { StoredEvent } from '../workflow/events/types.js';
import type { OutcomeMetrics } from '../workflow/metrics.js';
import type { Sandbox, SandboxStatus } from '../workflow/sandbox.js';

// ---- events --------------------------------------------------------------------------------------

/** An event: the fields every kind has, then its kind's own (kept as they are). */
export interface EventJson {
  id: number;
  time: string;
  type: string;
  outcome: string;
  actor: string;
  [field: string]: unknown;
}

export function eventJson(e: StoredEvent): EventJson {
  return e as unknown as EventJson;
}

export function eventFromJson(j: EventJson): StoredEvent {
  return j as unknown as StoredEvent;
}

// ---- outcome metrics -----------------------------------------------------------------------------

/** `sluice metrics --json` (without its `html`): OutcomeMetrics is JSON already. */
export type MetricsJson = OutcomeMetrics;

export function metricsJson(m: OutcomeMetrics): MetricsJson {
  return m;
}

export function metricsFromJson(j: MetricsJson): OutcomeMetrics {
  return j;
}

// ---- sandboxes -----------------------------------------------------------------------------------

export interface SandboxJson {
  name: string;
  branch: string;
  from: string;
  fromCommit: string;
  owner: string;
  private: boolean;
  createdAt: string;
  expiresAt: string | null;
}

export function sandboxJson(s: Sandbox): SandboxJson {
  return {
    name: s.name,
    branch: s.branch,
    from: s.fromRef,
    fromCommit: s.fromCommit,
    owner: s.owner,
    private: s.private,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt === null ? null : s.expiresAt.toISOString(),
  };
}

export function sandboxFromJson(j: SandboxJson): Sandbox {
  return {
    name: j.name,
    branch: j.branch,
    fromRef: j.from,
    fromCommit: j.fromCommit as Sandbox['fromCommit'],
    owner: j.owner,
    private: j.private,
    createdAt: new Date(j.createdAt),
    expiresAt: j.expiresAt === null ? null : new Date(j.expiresAt),
  };
}

/** A sandbox as `sluice sandbox list` shows it: its record and its state when listed. */
export interface SandboxStatusJson extends SandboxJson {
  state: 'active' | 'expired' | 'missing';
  ageMs: number;
  expired: boolean;
  expiresInMs: number | null;
  head: string | null;
  uncommitted: boolean;
}

export function sandboxStatusJson(s: SandboxStatus): SandboxStatusJson {
  return {
    ...sandboxJson(s),
    state: s.state,
    ageMs: s.ageMs,
    expired: s.expired,
    expiresInMs: s.expiresInMs,
    head: s.head,
    uncommitted: s.uncommitted,
  };
}

export function sandboxStatusFromJson(j: SandboxStatusJson): SandboxStatus {
  return {
    ...sandboxFromJson(j),
    state: j.state,
    ageMs: j.ageMs,
    expired: j.expired,
    expiresInMs: j.expiresInMs,
    head: j.head as SandboxStatus['head'],
    uncommitted: j.uncommitted,
  };
}

/** `sluice sandbox delete --json` prints it under `deleted`. */
export interface SandboxDeletedJson {
  sandbox: string;
  branch: string;
  branchDeleted: boolean;
}

// ---- lineage and impact --------------------------------------------------------------------------

/** `sluice lineage --json`: the ref, then the project's lineage. */
export type LineageJson = { ref: string } & Lineage;

export function lineageJson(ref: string, l: Lineage): LineageJson {
  return { ref, ...l };
}

export function lineageFromJson(j: LineageJson): { ref: string; lineage: Lineage } {
  const { ref, ...rest } = j;
  return { ref, lineage: rest as Lineage };
}

/** `sluice impact --json`: Impact is JSON already. */
export type ImpactJson = Impact;

export function impactJson(i: Impact): ImpactJson {
  return i;
}

export function impactFromJson(j: ImpactJson): Impact {
  return j;
}
