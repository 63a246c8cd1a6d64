// The zod schemas of the wire shapes in wire-core.ts: the server's response schemas (and so the
// OpenAPI document's components). Kept apart from the converters so the CLI's start does not load
// zod; each schema is checked against its TypeScript shape.
import * as z from 'zod';
import type {
  BranchJson as BranchShape,
  ChangeJson as ChangeShape,
  CommitJson as CommitShape,
  EntryJson as EntryShape,
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
z.globalRegistry.add(BranchJson, { id: 'Branch' });
z.globalRegistry.add(CommitJson, { id: 'Commit' });
z.globalRegistry.add(EntryJson, { id: 'Entry' });
z.globalRegistry.add(ChangeJson, { id: 'Change' });
z.globalRegistry.add(TagJson, { id: 'Tag' });

// Each schema's output is its shape: a change to one without the other fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const shapesAgree: [
  Same<z.infer<typeof BranchJson>, BranchShape>,
  Same<z.infer<typeof CommitJson>, CommitShape>,
  Same<z.infer<typeof EntryJson>, EntryShape>,
  Same<z.infer<typeof ChangeJson>, ChangeShape>,
  Same<z.infer<typeof TagJson>, TagShape>,
] = [true, true, true, true, true];
