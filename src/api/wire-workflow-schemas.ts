// The zod schemas of the wire shapes in wire-workflow.ts: the server's response schemas (and so
// the OpenAPI document's components). Kept apart from the converters so the CLI's start does not
// load zod; each schema is checked against its TypeScript shape.
import * as z from 'zod';
import type { Same } from './same-shape.js';
import type {
  EventJson as EventShape,
  ImpactJson as ImpactShape,
  LineageJson as LineageShape,
  MetricsJson as MetricsShape,
  SandboxDeletedJson as SandboxDeletedShape,
  SandboxJson as SandboxShape,
  SandboxStatusJson as SandboxStatusShape,
} from './wire-workflow.js';

// ---- events --------------------------------------------------------------------------------------

/** An event: the fields every kind has, then its kind's own (kept as they are). */
export const EventJson = z.looseObject({
  id: z.number().int(),
  time: z.string(),
  type: z.string(),
  outcome: z.string(),
  actor: z.string(),
});

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

/** OutcomeMetrics is JSON already; the schema fixes its key order. */

// ---- sandboxes -----------------------------------------------------------------------------------

export const SandboxJson = z.object({
  name: z.string(),
  branch: z.string(),
  from: z.string(),
  fromCommit: z.string(),
  owner: z.string(),
  private: z.boolean().describe('readable only by its owner and admins'),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});

/** A sandbox as `sluice sandbox list` shows it: its record and its state when listed. */
export const SandboxStatusJson = SandboxJson.extend({
  state: z.enum(['active', 'expired', 'missing']),
  ageMs: z.number(),
  expired: z.boolean(),
  expiresInMs: z.number().nullable(),
  head: z.string().nullable(),
  uncommitted: z.boolean(),
});

/** `sluice sandbox delete --json` prints it under `deleted`. */
export const SandboxDeletedJson = z.object({
  sandbox: z.string(),
  branch: z.string(),
  branchDeleted: z.boolean(),
});

// ---- lineage and impact --------------------------------------------------------------------------

const ColumnSourceJson = z.object({ relation: z.string(), column: z.string() });

/** `sluice lineage --json`: the ref, then the project's lineage. */
export const LineageJson = z.object({
  ref: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['seed', 'model', 'test', 'source', 'exposure']),
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

z.globalRegistry.add(EventJson, { id: 'Event' });
z.globalRegistry.add(MetricsJson, { id: 'OutcomeMetrics' });
z.globalRegistry.add(SandboxJson, { id: 'Sandbox' });
z.globalRegistry.add(SandboxStatusJson, { id: 'SandboxStatus' });
z.globalRegistry.add(LineageJson, { id: 'Lineage' });
z.globalRegistry.add(ImpactJson, { id: 'Impact' });

// Each schema's output is its shape: a change to one without the other fails to compile.
export const workflowShapesAgree: [
  Same<z.infer<typeof EventJson>, EventShape>,
  Same<z.infer<typeof MetricsJson>, MetricsShape>,
  Same<z.infer<typeof SandboxJson>, SandboxShape>,
  Same<z.infer<typeof SandboxStatusJson>, SandboxStatusShape>,
  Same<z.infer<typeof SandboxDeletedJson>, SandboxDeletedShape>,
  Same<z.infer<typeof LineageJson>, LineageShape>,
  Same<z.infer<typeof ImpactJson>, ImpactShape>,
] = [true, true, true, true, true, true, true];
