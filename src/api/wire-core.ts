// The JSON shapes of the versioning engine's objects — branches, commits, tree entries, changes,
// tags — as both edges show them: the CLI's `--json` output and the server's responses, so a
// remote command prints exactly what a local one does. Each shape is a zod schema (the server's
// response schema, hence the OpenAPI document) with its converter from the library's object and
// back (the remote CLI turns a response into the object its printer takes).
import * as z from 'zod';
import type { CommitId, ObjectAddress } from '../common/ids.js';
import type { Commit } from '../core/commit-codec.js';
import type { Change, TreeEntry } from '../core/entry.js';
import type { BranchInfo } from '../core/ref-ops.js';

export const BranchJson = z.object({
  name: z.string(),
  head: z.string(),
  createdAt: z.string(),
  isDefault: z.boolean(),
});
export type BranchJson = z.infer<typeof BranchJson>;

export function branchJson(b: BranchInfo): BranchJson {
  return {
    name: b.name,
    head: b.head,
    createdAt: b.createdAt.toISOString(),
    isDefault: b.isDefault,
  };
}

export function branchFromJson(j: BranchJson): BranchInfo {
  return { ...j, head: j.head as CommitId, createdAt: new Date(j.createdAt) };
}

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
export type CommitJson = z.infer<typeof CommitJson>;

export function commitJson(c: Commit): CommitJson {
  return {
    id: c.id,
    parents: c.parents,
    message: c.message,
    committer: c.committer,
    createdAt: c.createdAt.toISOString(),
    metadata: c.metadata,
    tree: c.tree,
    generation: c.generation,
  };
}

export function commitFromJson(j: CommitJson): Commit {
  return { ...j, createdAt: new Date(j.createdAt) } as unknown as Commit;
}

export const EntryJson = z.object({
  path: z.string(),
  size: z.number(),
  checksum: z.string(),
  address: z.string(),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});
export type EntryJson = z.infer<typeof EntryJson>;

export function entryJson(e: TreeEntry): EntryJson {
  return {
    path: e.path,
    size: e.size,
    checksum: e.checksum,
    address: e.address,
    contentType: e.contentType,
    metadata: e.metadata,
  };
}

export function entryFromJson(j: EntryJson): TreeEntry {
  return { ...j, address: j.address as ObjectAddress } as unknown as TreeEntry;
}

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
export type ChangeJson = z.infer<typeof ChangeJson>;

export function changeJson(c: Change): ChangeJson {
  return {
    type: c.type,
    path: c.path,
    ...(c.left ? { left: c.left as z.infer<typeof EntryValueJson> } : {}),
    ...(c.right ? { right: c.right as z.infer<typeof EntryValueJson> } : {}),
  };
}

export function changeFromJson(j: ChangeJson): Change {
  return j as unknown as Change;
}

export const TagJson = z.object({ name: z.string(), commit: z.string(), createdAt: z.string() });
export type TagJson = z.infer<typeof TagJson>;

export function tagJson(t: { name: string; commitId: string; createdAt: Date }): TagJson {
  return { name: t.name, commit: t.commitId, createdAt: t.createdAt.toISOString() };
}
