// The workflow's event log, its front door: the typed kinds of event (types.ts), appending and
// listing them (log.ts), one line per event for humans (describe-event.ts), the build and check
// events' shapes (build-events.ts, check-events.ts), what a deploy brings (new-loads.ts) and
// durations (times.ts).
export {
  buildCounts,
  buildErrorEvent,
  buildEvent,
  describeBroken,
} from './build-events.js';
export { checkErrorEvent, checkEvent } from './check-events.js';
export { describeEvent } from './describe-event.js';
export {
  defaultActor,
  type EventFilter,
  listEvents,
  recordEvent,
  toStoredEvent,
} from './log.js';
export { newLoads } from './new-loads.js';
export { parseDuration, parseSince } from './times.js';
export {
  type AlertEvent,
  type BuildEvent,
  type CheckEvent,
  type CheckSummary,
  type Colour,
  type ConfigEvent,
  type DeployEvent,
  type DeployedLoad,
  EVENT_TYPES,
  type EventType,
  type LoadEvent,
  type MergeEvent,
  OUTCOMES,
  type Outcome,
  type PromoteEvent,
  type RollbackEvent,
  type StoredEvent,
  type WorkflowEvent,
} from './types.js';
