// fsck: verifies that every ref points at a commit, that every reachable commit, tree node and
// data object exists and hashes to its id, and reports each problem as data (never stops early).
import { SluiceError } from '../common/errors.js';
import type { CommitId, NodeId } from '../common/ids.js';
import type { RepoContext } from './context.js';
import { EMPTY_TREE_ID, type NodeRef, nodeCopyKey } from './node-codec.js';
import { type Located, locate, readVerified } from './object-io.js';
import { tokensOf } from './view.js';

export interface FsckProblem {
  /** Stable code: ObjectCorruptedError, ObjectNotFoundError, CommitNotFoundError, … */
  code: string;
  kind: 'ref' | 'commit' | 'node' | 'object';
  id: string;
  message: string;
}

export interface FsckReport {
  ok: boolean;
  refs: number;
  commits: number;
  nodes: number;
  objects: number;
  problems: FsckProblem[];
}

export interface FsckOptions {
  /** Also read every data object and check its hash (default true). */
  verifyData?: boolean;
  signal?: AbortSignal;
  onProgress?: (checked: number) => void;
}

export async function fsck(ctx: RepoContext, opts: FsckOptions = {}): Promise<FsckReport> {
  const report: FsckReport = { ok: true, refs: 0, commits: 0, nodes: 0, objects: 0, problems: [] };
  const problem = (kind: FsckProblem['kind'], id: string, err: unknown): void => {
    const e = err instanceof SluiceError ? err : undefined;
    report.problems.push({
      code: e?.code ?? 'InternalError',
      kind,
      id,
      message: err instanceof Error ? err.message : String(err),
    });
  };
  const roots: { name: string; commit: string }[] = [];
  const objects = new Map<string, Located>();
  const addObject = (o: Located): void => {
    objects.set(`${o.address}@${o.physical ?? ''}`, o);
  };
  for await (const b of ctx.meta.listBranches(ctx.repo)) {
    roots.push({ name: `branch ${b.name}`, commit: b.head });
    for await (const s of ctx.meta.listStaged(ctx.repo, tokensOf(b))) {
      if (s.value)
        addObject({ address: s.value.address, size: s.value.size, physical: s.value.physical });
    }
  }
  for await (const t of ctx.meta.listTags(ctx.repo))
    roots.push({ name: `tag ${t.name}`, commit: t.commitId });
  for await (const a of ctx.meta.listAliases(ctx.repo)) {
    report.refs++;
    if (!(await ctx.meta.getBranch(ctx.repo, a.target))) {
      report.problems.push({
        code: 'BranchNotFoundError',
        kind: 'ref',
        id: a.name,
        message: `alias ${a.name} points at missing branch ${a.target}`,
      });
    }
  }
  report.refs += roots.length;

  const seenCommits = new Set<string>();
  const seenNodes = new Set<string>();
  const stack = roots.map((r) => r.commit);
  for (const r of roots) {
    if (!(await ctx.meta.getCommit(ctx.repo, r.commit))) {
      report.problems.push({
        code: 'CommitNotFoundError',
        kind: 'ref',
        id: r.name,
        message: `${r.name} points at missing commit ${r.commit}`,
      });
    }
  }
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const id = stack.pop() as string;
    if (seenCommits.has(id)) continue;
    seenCommits.add(id);
    report.commits++;
    try {
      const rec = await ctx.meta.getCommit(ctx.repo, id);
      if (!rec) continue; // reported with the ref or the child that names it
      const c = ctx.commits.verify(id, rec.data);
      for (const p of c.parents) {
        if (!(await ctx.meta.getCommit(ctx.repo, p))) {
          report.problems.push({
            code: 'CommitNotFoundError',
            kind: 'commit',
            id,
            message: `commit ${id} names missing parent ${p}`,
          });
        }
        stack.push(p as CommitId);
      }
      await checkTree(c.tree);
    } catch (err) {
      problem('commit', id, err);
    }
  }

  async function checkTree(root: NodeId): Promise<void> {
    if (root === EMPTY_TREE_ID) return;
    // Every distinct stored copy is checked: copies of one node in two packs are read separately.
    const nodes: NodeRef[] = [{ id: root }];
    while (nodes.length > 0) {
      const ref = nodes.pop() as NodeRef;
      const key = nodeCopyKey(ref);
      if (seenNodes.has(key)) continue;
      seenNodes.add(key);
      report.nodes++;
      opts.onProgress?.(report.commits + report.nodes + report.objects);
      try {
        const node = await ctx.nodes.get(ref, { fresh: true });
        if (node.kind === 'leaf') for (const e of node.entries) addObject(e);
        else for (const child of node.children) nodes.push(child);
      } catch (err) {
        problem('node', ref.id, err);
      }
    }
  }

  for (const obj of objects.values()) {
    const address = obj.address;
    opts.signal?.throwIfAborted();
    report.objects++;
    opts.onProgress?.(report.commits + report.nodes + report.objects);
    try {
      if (opts.verifyData === false) {
        if (!(await ctx.store.head(locate(obj).key))) {
          report.problems.push({
            code: 'ObjectNotFoundError',
            kind: 'object',
            id: address,
            message: `object ${address} is missing`,
          });
        }
      } else {
        await readVerified(ctx.store, obj, opts.signal);
      }
    } catch (err) {
      problem('object', address, err);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}
