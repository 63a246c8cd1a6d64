// The JSON shapes of the versioning engine's objects — branches, commits, tree entries, changes,
// tags — as both edges show them: the CLI's `--json` output and the server's responses, so a
// remote command prints exactly what a local one does. Each shape has its converter from the
// library's object and back (the remote CLI turns a response into the object its printer takes);
// its zod schema (the server's response schema) is in wire-core-schemas.ts.
import type { CommitId, ObjectAddress } from '../common/ids.js';
import type { Commit } from '../core/commit-codec.js';
import type { Change, TreeEntry } from '../core/entry.js';
import type { MergeResult } from '../core/merge-op.js';
import type { BranchInfo } from '../core/ref-ops.js';

export interface BranchJson {
  name: string;
  head: string;
  createdAt: string;
  isDefault: boolean;
}

export interface CommitJson {
  id: string;
  parents: string[];
  message: string;
  committer: string;
  createdAt: string;
  metadata: Record<string, string>;
  tree: string;
  generation: number;
}

export interface EntryJson {
  path: string;
  size: number;
  checksum: string;
  address: string;
  contentType: string;
  metadata: Record<string, string>;
}

interface EntryValueJson {
  address: string;
  size: number;
  checksum: string;
  contentType: string;
  metadata: Record<string, string>;
}

export interface ChangeJson {
  type: 'added' | 'removed' | 'changed';
  path: string;
  left?: EntryValueJson;
  right?: EntryValueJson;
}

export interface TagJson {
  name: string;
  commit: string;
  createdAt: string;
}

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

/** The declared fields only: where an object is packed (`physical`) is the store's business. */
function entryValueJson(v: EntryValueJson): EntryValueJson {
  return {
    address: v.address,
    size: v.size,
    checksum: v.checksum,
    contentType: v.contentType,
    metadata: v.metadata,
  };
}

export function changeJson(c: Change): ChangeJson {
  return {
    type: c.type,
    path: c.path,
    ...(c.left ? { left: entryValueJson(c.left) } : {}),
    ...(c.right ? { right: entryValueJson(c.right) } : {}),
  };
}

export function changeFromJson(j: ChangeJson): Change {
  return j as unknown as Change;
}

export function tagJson(t: { name: string; commitId: string; createdAt: Date }): TagJson {
  return { name: t.name, commit: t.commitId, createdAt: t.createdAt.toISOString() };
}

/** One item of a listing: an object's entry, or a common prefix (`dir/`) with a delimiter. */
export type ListItemJson = ({ type: 'object' } & EntryJson) | { type: 'prefix'; path: string };

export function listItemJson(
  i: { type: 'object'; entry: TreeEntry } | { type: 'prefix'; path: string },
): ListItemJson {
  return i.type === 'object' ? { type: 'object', ...entryJson(i.entry) } : i;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
  total: number;
}

export function countChanges(changes: readonly { type: Change['type'] }[]): ChangeCounts {
  const counts: ChangeCounts = { added: 0, removed: 0, changed: 0, total: changes.length };
  for (const c of changes) counts[c.type]++;
  return counts;
}

export interface AliasJson {
  name: string;
  target: string;
  updatedAt: string;
}

export function aliasJson(a: { name: string; target: string; updatedAt: Date }): AliasJson {
  return { name: a.name, target: a.target, updatedAt: a.updatedAt.toISOString() };
}

export interface CheckSummaryJson {
  pass: number;
  warn: number;
  fail: number;
  error: number;
}

export interface WebhookJson {
  url: string;
  ok: boolean;
  status?: number;
  reason?: string;
}

/** A merge as `sluice merge --json` prints it (`merge`). */
export interface MergeJson {
  source: string;
  destination: string;
  base: string;
  upToDate: boolean;
  fastForward: boolean;
  applied: number;
  resolved: { path: string; source: string; destination: string }[];
  commit: CommitJson | null;
  gate?: {
    changedTables: string[];
    checks: CheckSummaryJson | null;
    webhooks: WebhookJson[];
    forced: boolean;
  };
}

/** `sluice merge --json`'s document: the merge and the id of the event that recorded it. */
export interface MergeOutcomeJson {
  merge: MergeJson;
  event: number | null;
}

/** What mergeJson needs of a gate's report (quality's GateReport). */
export interface GateReportLike {
  changedTables: string[];
  checks?: { summary: CheckSummaryJson };
  webhooks: WebhookJson[];
  forced: boolean;
}

export function mergeJson(
  source: string,
  destination: string,
  r: MergeResult,
  gate: GateReportLike | undefined,
): MergeJson {
  return {
    source,
    destination,
    base: r.base,
    upToDate: r.upToDate,
    fastForward: r.fastForward,
    applied: r.applied,
    resolved: r.resolved,
    commit: r.commit ? commitJson(r.commit) : null,
    ...(gate
      ? {
          gate: {
            changedTables: gate.changedTables,
            checks: gate.checks?.summary ?? null,
            webhooks: gate.webhooks,
            forced: gate.forced,
          },
        }
      : {}),
  };
}
