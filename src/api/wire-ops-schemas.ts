// The zod schemas of the wire shapes in wire-ops.ts: the server's response schemas for runs and
// the long operations' documents (and so the OpenAPI document's components). Kept apart from the
// converters so the CLI's start does not load zod; each schema is checked against its shape.
import * as z from 'zod';
import type { Same } from './same-shape.js';
import {
  type CheckHistoryDocument,
  RUN_STATUSES,
  type RunLogLineJson as RunLogLineShape,
  type RunJson as RunShape,
} from './wire-ops.js';

export const RunStatusJson = z.enum(RUN_STATUSES);

const RunErrorJson = z.object({ code: z.string(), message: z.string(), data: z.unknown() });

export const RunJson = z.object({
  runId: z.string(),
  kind: z.string().describe('check, build, load, promote, deploy, rollback'),
  status: RunStatusJson.describe('lost: the process running it stopped answering'),
  actor: z.string(),
  createdAt: z.string(),
  updatedAt: z.string().describe('the last heartbeat or change'),
  request: z.unknown().describe('the request as accepted'),
  result: z.unknown().optional().describe('the document the CLI prints with --json'),
  error: RunErrorJson.optional().describe('when the run threw: the error document'),
  exitCode: z.number().int().optional().describe('the exit code the CLI gives this outcome'),
  links: z.object({ self: z.string(), log: z.string(), events: z.string() }),
});

export const RunLogLineJson = z.object({
  seq: z.number().int(),
  time: z.string(),
  line: z.string(),
});

export const CheckHistoryJson = z.object({
  table: z.string(),
  runs: z.array(
    z.object({
      id: z.string(),
      commit: z.string(),
      at: z.string(),
      results: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});

/** Any command's document, as a response schema: an object (the CLI's --json shape). */
export const DocumentJson = z
  .record(z.string(), z.unknown())
  .describe('the document the CLI prints with --json');

z.globalRegistry.add(RunJson, { id: 'Run' });
z.globalRegistry.add(RunLogLineJson, { id: 'RunLogLine' });

// Each schema's output is its shape: a change to one without the other fails to compile.
type Loose<T> = { [K in keyof T]: T[K] };
export const opsShapesAgree: [
  Same<Loose<z.infer<typeof RunJson>>, Loose<RunShape>>,
  Same<z.infer<typeof RunLogLineJson>, RunLogLineShape>,
  Same<z.infer<typeof CheckHistoryJson>['table'], CheckHistoryDocument['table']>,
] = [true, true, true];
