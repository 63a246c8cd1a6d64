// The JSON shapes of the workflow's reads as both edges show them: events, outcome metrics,
// sandboxes, lineage and impact — `sluice events|metrics|sandbox|lineage|impact --json` print
// them, the server answers with them, the remote CLI prints a response with the local printer.
// Key order is the local output's: zod writes an object's keys in its schema's order.
import * as z from 'zod';
import type { Impact, Lineage } from '../pipeline/lineage.js';
import type { StoredEvent } from '../workflow/events/types.js';
import type { OutcomeMetrics } from '../workflow/metrics.js';
import type { Sandbox, SandboxStatus } from '../workflow/sandbox.js';

// ---- events --------------------------------------------------------------------------------------

/** An event: the fields every kind has, then its kind's own (kept as they are). */
export const EventJson = z.looseObject({
  id: z.number().int(),
  time: z.string(),
  type: z.string(),
  outcome: z.string(),
  actor: z.string(),
});
export type EventJson = z.infer<typeof EventJson>;

export function eventJson(e: StoredEvent): EventJson {
  return e as unknown as EventJson;
}

export function eventFromJson(j: EventJson): StoredEvent {
  return j as unknown as StoredEvent;
}

// ---- outcome metrics -----------------------------------------------------------------------------

const DurationStatsJson = z.object({
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});

/** `sluice metrics --json` (without its `html`). */
export const MetricsJson = z.object({
  environment: z.string(),
  since: z.string(),
  until: z.string(),
  days: z.number(),
  deploymentFrequency: z.object({
    deploys: z.number().int(),
    perDay: z.number(),
    perWeek: z.number(),
  }),
  leadTime: DurationStatsJson,
  changeFailureRate: z.object({
    deploys: z.number().int(),
    failed: z.number().int(),
    failedDeploys: z.number().int(),
    rolledBack: z.number().int(),
    rate: z.number().nullable(),
  }),
  timeToRestore: DurationStatsJson.extend({
    open: z.number().int(),
    incidents: z.array(
      z.object({
        detectedAt: z.string(),
        restoredAt: z.string().nullable(),
        restoredBy: z.enum(['rollback', 'deploy']).nullable(),
        deployId: z.string().nullable(),
      }),
    ),
  }),
  loads: z.object({
    success: z.number().int(),
    failure: z.number().int(),
    error: z.number().int(),
    skipped: z.number().int(),
  }),
  daily: z.array(
    z.object({
      day: z.string(),
      deploys: z.number().int(),
      rolledBack: z.number().int(),
      failedDeploys: z.number().int(),
      rollbacks: z.number().int(),
    }),
  ),
});
export type MetricsJson = z.infer<typeof MetricsJson>;

/** OutcomeMetrics is JSON already; the schema fixes its key order. */
export function metricsJson(m: OutcomeMetrics): MetricsJson {
  return m;
}

export function metricsFromJson(j: MetricsJson): OutcomeMetrics {
  return j;
}

// ---- sandboxes -----------------------------------------------------------------------------------

export const SandboxJson = z.object({
  name: z.string(),
  branch: z.string(),
  from: z.string(),
  fromCommit: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type SandboxJson = z.infer<typeof SandboxJson>;

export function sandboxJson(s: Sandbox): SandboxJson {
  return {
    name: s.name,
    branch: s.branch,
    from: s.fromRef,
    fromCommit: s.fromCommit,
    owner: s.owner,
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
    createdAt: new Date(j.createdAt),
    expiresAt: j.expiresAt === null ? null : new Date(j.expiresAt),
  };
}

/** A sandbox as `sluice sandbox list` shows it: its record and its state when listed. */
export const SandboxStatusJson = SandboxJson.extend({
  state: z.enum(['active', 'expired', 'missing']),
  ageMs: z.number(),
  expired: z.boolean(),
  expiresInMs: z.number().nullable(),
  head: z.string().nullable(),
  uncommitted: z.boolean(),
});
export type SandboxStatusJson = z.infer<typeof SandboxStatusJson>;

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
export const SandboxDeletedJson = z.object({
  sandbox: z.string(),
  branch: z.string(),
  branchDeleted: z.boolean(),
});
export type SandboxDeletedJson = z.infer<typeof SandboxDeletedJson>;

// ---- lineage and impact --------------------------------------------------------------------------

const ColumnSourceJson = z.object({ relation: z.string(), column: z.string() });

/** `sluice lineage --json`: the ref, then the project's lineage. */
export const LineageJson = z.object({
  ref: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      relation: z.string().optional(),
    }),
  ),
  edges: z.array(z.tuple([z.string(), z.string()])),
  columns: z.record(
    z.string(),
    z.object({
      columns: z.record(z.string(), z.array(ColumnSourceJson)),
      used: z.array(ColumnSourceJson),
      unresolved: z.array(z.object({ column: z.string(), reason: z.string() })),
    }),
  ),
});
export type LineageJson = z.infer<typeof LineageJson>;

export function lineageJson(ref: string, l: Lineage): LineageJson {
  return { ref, ...l };
}

export function lineageFromJson(j: LineageJson): { ref: string; lineage: Lineage } {
  const { ref, ...rest } = j;
  return { ref, lineage: rest as Lineage };
}

/** `sluice impact --json`. */
export const ImpactJson = z.object({
  base: z.string(),
  branch: z.string(),
  changed: z.array(z.string()),
  downstream: z.array(z.string()),
  exposures: z.array(z.string()),
  columnChanges: z.array(
    z.object({
      table: z.string(),
      column: z.string(),
      change: z.enum(['removed', 'retyped', 'added']),
      before: z.string().optional(),
      after: z.string().optional(),
    }),
  ),
  breaking: z.array(
    z.object({
      table: z.string(),
      column: z.string(),
      change: z.enum(['removed', 'retyped']),
      consumer: z.string(),
      consumerKind: z.enum(['model', 'exposure']),
    }),
  ),
  brokenExposures: z.array(z.string()),
});
export type ImpactJson = z.infer<typeof ImpactJson>;

export function impactJson(i: Impact): ImpactJson {
  return i;
}

export function impactFromJson(j: ImpactJson): Impact {
  return j;
}
