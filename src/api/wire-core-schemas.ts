// The zod schemas of the wire shapes in wire-core.ts: the server's response schemas (and so the
// OpenAPI document's components). Kept apart from the converters so the CLI's start does not load
// zod; each schema is checked against its TypeScript shape.
import * as z from 'zod';
import type { Same } from './same-shape.js';
import type {
  AliasJson as AliasShape,
  BranchJson as BranchShape,
  ChangeCounts as ChangeCountsShape,
  ChangeJson as ChangeShape,
  CommitJson as CommitShape,
  EntryJson as EntryShape,
  ListItemJson as ListItemShape,
  MergeOutcomeJson as MergeOutcomeShape,
  MergeJson as MergeShape,
  TagJson as TagShape,
} from './wire-core.js';

export const BranchJson = z.object({
  name: z.string(),
  head: z.string(),
  createdAt: z.string(),
  isDefault: z.boolean(),
});

export const CommitJson = z.object({
  id: z.string(),
  parents: z.array(z.string()),
  message: z.string(),
  committer: z.string(),
  createdAt: z.string(),
  metadata: z.record(z.string(), z.string()),
  tree: z.string(),
  generation: z.number(),
});

export const EntryJson = z.object({
  path: z.string(),
  size: z.number(),
  checksum: z.string(),
  address: z.string(),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});

const EntryValueJson = z.object({
  address: z.string(),
  size: z.number(),
  checksum: z.string(),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});

export const ChangeJson = z.object({
  type: z.enum(['added', 'removed', 'changed']),
  path: z.string(),
  left: EntryValueJson.optional(),
  right: EntryValueJson.optional(),
});

export const TagJson = z.object({ name: z.string(), commit: z.string(), createdAt: z.string() });

/** One item of a listing: an object's entry, or a common prefix (`dir/`) with a delimiter. */
export const ListItemJson = z.discriminatedUnion('type', [
  // `type` first, as the CLI prints it (the serializer writes keys in the schema's order).
  z.object({ type: z.literal('object'), ...EntryJson.shape }),
  z.object({ type: z.literal('prefix'), path: z.string() }),
]);

export const ChangeCounts = z.object({
  added: z.number().int(),
  removed: z.number().int(),
  changed: z.number().int(),
  total: z.number().int(),
});

export const AliasJson = z.object({ name: z.string(), target: z.string(), updatedAt: z.string() });

const CheckSummaryJson = z.object({
  pass: z.number().int(),
  warn: z.number().int(),
  fail: z.number().int(),
  error: z.number().int(),
});

const WebhookJson = z.object({
  url: z.string(),
  ok: z.boolean(),
  status: z.number().optional(),
  reason: z.string().optional(),
});

export const MergeJson = z.object({
  source: z.string(),
  destination: z.string(),
  base: z.string(),
  upToDate: z.boolean(),
  fastForward: z.boolean(),
  applied: z.number().int(),
  resolved: z.array(z.object({ path: z.string(), source: z.string(), destination: z.string() })),
  commit: CommitJson.nullable(),
  gate: z
    .object({
      changedTables: z.array(z.string()),
      checks: CheckSummaryJson.nullable(),
      webhooks: z.array(WebhookJson),
      forced: z.boolean(),
    })
    .optional(),
});

export const MergeOutcomeJson = z.object({
  merge: MergeJson,
  event: z.number().int().nullable().describe("the merge event's id in the event log"),
});

z.globalRegistry.add(BranchJson, { id: 'Branch' });
z.globalRegistry.add(CommitJson, { id: 'Commit' });
z.globalRegistry.add(EntryJson, { id: 'Entry' });
z.globalRegistry.add(ChangeJson, { id: 'Change' });
z.globalRegistry.add(TagJson, { id: 'Tag' });
z.globalRegistry.add(ListItemJson, { id: 'ListItem' });
z.globalRegistry.add(ChangeCounts, { id: 'ChangeCounts' });
z.globalRegistry.add(AliasJson, { id: 'Alias' });
z.globalRegistry.add(MergeJson, { id: 'Merge' });
z.globalRegistry.add(MergeOutcomeJson, { id: 'MergeOutcome' });

// Each schema's output is its shape: a change to one without the other fails to compile.
export const shapesAgree: [
  Same<z.infer<typeof BranchJson>, BranchShape>,
  Same<z.infer<typeof CommitJson>, CommitShape>,
  Same<z.infer<typeof EntryJson>, EntryShape>,
  Same<z.infer<typeof ChangeJson>, ChangeShape>,
  Same<z.infer<typeof TagJson>, TagShape>,
  Same<z.infer<typeof ListItemJson>, ListItemShape>,
  Same<z.infer<typeof ChangeCounts>, ChangeCountsShape>,
  Same<z.infer<typeof AliasJson>, AliasShape>,
  Same<z.infer<typeof MergeJson>, MergeShape>,
  Same<z.infer<typeof MergeOutcomeJson>, MergeOutcomeShape>,
] = [true, true, true, true, true, true, true, true, true, true];
