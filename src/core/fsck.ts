// fsck: verifies that every ref points at a commit, that every reachable commit, tree node and
// data object exists and hashes to its id, and reports each problem as data (never stops early).
// It runs in steps over one FsckRun: collect the refs (and the objects staging names), check the
// commits they name exist, walk the commits and their trees, then check every object found. A
// bad object that a staged (uncommitted) entry names is reported as that entry — branch and path —
// so the user knows which write to redo or discard. An imported (external) object is checked where
// it lives: one that changed or vanished behind Sluice's back is an ExternalObjectChangedError.
import { SluiceError } from '../common/errors.js';
import type { CommitId, NodeId } from '../common/ids.js';
import type { CommitRecordStore, RefStore, StagingStore } from '../meta/meta-store.js';
import type { RepoContext } from './context.js';
import { EMPTY_TREE_ID, type NodeRef, nodeCopyKey } from './node-codec.js';
import { type Located, objectExists, readVerified } from './object-io.js';
import { tokensOf } from './view.js';

export interface FsckProblem {
  /** Stable code: ObjectCorruptedError, ObjectNotFoundError, CommitNotFoundError, … */
  code: string;
  /** `staged`: an uncommitted entry (id `branch:path`) whose object is missing or damaged. */
  kind: 'ref' | 'commit' | 'node' | 'object' | 'staged';
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

/** The MetaStore roles fsck reads: refs, staging rows and commit records. */
type FsckMeta = RefStore & StagingStore & CommitRecordStore;

/** What the steps of one fsck share. */
interface FsckRun {
  readonly ctx: RepoContext<FsckMeta>;
  readonly opts: FsckOptions;
  readonly report: FsckReport;
  /** Commits named by branches and tags, with a name for messages. */
  readonly roots: { name: string; commit: string }[];
  /** Data objects to check, by address and stored copy. */
  readonly objects: Map<string, Located>;
  /** The staged entries naming each object (same keys as `objects`). */
  readonly staged: Map<string, { branch: string; path: string }[]>;
  /** Objects some commit's tree names (same keys). */
  readonly committed: Set<string>;
  readonly seenCommits: Set<string>;
  readonly seenNodes: Set<string>;
}

export async function fsck(
  ctx: RepoContext<FsckMeta>,
  opts: FsckOptions = {},
): Promise<FsckReport> {
  const run: FsckRun = {
    ctx,
    opts,
    report: { ok: true, refs: 0, commits: 0, nodes: 0, objects: 0, problems: [] },
    roots: [],
    objects: new Map(),
    staged: new Map(),
    committed: new Set(),
    seenCommits: new Set(),
    seenNodes: new Set(),
  };
  await collectRefs(run);
  await checkRootCommits(run);
  await walkCommits(run);
  await checkObjects(run);
  run.report.ok = run.report.problems.length === 0;
  return run.report;
}

/** Branches and tags become roots (and staged rows objects to check); aliases must name a branch. */
async function collectRefs(run: FsckRun): Promise<void> {
  const { ctx, report, roots } = run;
  for await (const b of ctx.meta.listBranches(ctx.repo)) {
    roots.push({ name: `branch ${b.name}`, commit: b.head });
    for await (const s of ctx.meta.listStaged(ctx.repo, tokensOf(b))) {
      if (!s.value) continue;
      const key = addObject(run, {
        address: s.value.address,
        size: s.value.size,
        physical: s.value.physical,
        ...(s.value.external ? { external: s.value.external } : {}),
      });
      const named = run.staged.get(key) ?? [];
      named.push({ branch: b.name, path: s.path });
      run.staged.set(key, named);
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
}

async function checkRootCommits(run: FsckRun): Promise<void> {
  const { ctx, report } = run;
  for (const r of run.roots) {
    if (!(await ctx.meta.getCommit(ctx.repo, r.commit))) {
      report.problems.push({
        code: 'CommitNotFoundError',
        kind: 'ref',
        id: r.name,
        message: `${r.name} points at missing commit ${r.commit}`,
      });
    }
  }
}

/** Every commit reachable from the roots: its bytes, its parents' existence, and its tree. */
async function walkCommits(run: FsckRun): Promise<void> {
  const { ctx, report, opts } = run;
  const stack = run.roots.map((r) => r.commit);
  while (stack.length > 0) {
    opts.signal?.throwIfAborted();
    const id = stack.pop() as string;
    if (run.seenCommits.has(id)) continue;
    run.seenCommits.add(id);
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
      await checkTree(run, c.tree);
    } catch (err) {
      problem(run, 'commit', id, err);
    }
  }
}

async function checkTree(run: FsckRun, root: NodeId): Promise<void> {
  if (root === EMPTY_TREE_ID) return;
  // Every distinct stored copy is checked: copies of one node in two packs are read separately.
  const nodes: NodeRef[] = [{ id: root }];
  while (nodes.length > 0) {
    const ref = nodes.pop() as NodeRef;
    const key = nodeCopyKey(ref);
    if (run.seenNodes.has(key)) continue;
    run.seenNodes.add(key);
    run.report.nodes++;
    progress(run);
    try {
      const node = await run.ctx.nodes.get(ref, { fresh: true });
      if (node.kind === 'leaf') for (const e of node.entries) run.committed.add(addObject(run, e));
      else for (const child of node.children) nodes.push(child);
    } catch (err) {
      problem(run, 'node', ref.id, err);
    }
  }
}

/** Every object found: read and hashed, or (without verifyData) only checked to exist. */
async function checkObjects(run: FsckRun): Promise<void> {
  const { ctx, report, opts } = run;
  for (const [key, obj] of run.objects) {
    const address = obj.address;
    opts.signal?.throwIfAborted();
    report.objects++;
    progress(run);
    try {
      if (opts.verifyData === false) {
        if (!(await objectExists(ctx.store, obj, opts.signal))) {
          objectProblem(run, key, 'ObjectNotFoundError', `object ${address} is missing`);
        }
      } else {
        await readVerified(ctx.store, obj, opts.signal);
      }
    } catch (err) {
      const e = err instanceof SluiceError ? err : undefined;
      objectProblem(
        run,
        key,
        e?.code ?? 'InternalError',
        err instanceof Error ? err.message : String(err),
      );
    }
  }
}

/**
 * A bad object: one problem for the commits whose trees name it, one for each staged entry that
 * names it (`branch:path`), so an uncommitted write whose bytes are gone is named as such.
 */
function objectProblem(run: FsckRun, key: string, code: string, message: string): void {
  const address = (run.objects.get(key) as Located).address;
  const staged = run.staged.get(key) ?? [];
  if (run.committed.has(key) || staged.length === 0)
    run.report.problems.push({ code, kind: 'object', id: address, message });
  for (const s of staged) {
    run.report.problems.push({
      code,
      kind: 'staged',
      id: `${s.branch}:${s.path}`,
      message: `staged ${s.path} on branch ${s.branch} names object ${address}: ${message}`,
    });
  }
}

/** Adds an object to check; returns its key (address and stored copy). */
function addObject(run: FsckRun, o: Located): string {
  const key = `${o.address}@${o.physical ?? ''}`;
  run.objects.set(key, o);
  return key;
}

function progress(run: FsckRun): void {
  const { report } = run;
  run.opts.onProgress?.(report.commits + report.nodes + report.objects);
}

function problem(run: FsckRun, kind: FsckProblem['kind'], id: string, err: unknown): void {
  const e = err instanceof SluiceError ? err : undefined;
  run.report.problems.push({
    code: e?.code ?? 'InternalError',
    kind,
    id,
    message: err instanceof Error ? err.message : String(err),
  });
}
