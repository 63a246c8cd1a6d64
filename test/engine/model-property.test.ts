// Model-based property test of the versioning engine: random sequences of put / rm / commit /
// branch / merge / revert / cherry-pick / reset / tag / gc, each checked against a plain
// in-memory model of commits (a DAG of path → content maps), branches (head + staging) and tags.
// After every step every branch's visible content, every tag's content, every ref and every
// branch's status must equal the model; refusals must be predicted with their exact error code.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashBlob, sha256Hex, tag } from '../../src/common/hash.js';
import { compareKeys } from '../../src/common/keys.js';
import type { Commit } from '../../src/core/commit-codec.js';
import type { MergeStrategy } from '../../src/core/merge.js';
import { Repository } from '../../src/core/repository.js';
import type { MetaStore } from '../../src/meta/meta-store.js';
import { openPostgresMetaStore } from '../../src/meta/postgres-meta-store.js';
import { openSqliteMetaStore } from '../../src/meta/sqlite-meta-store.js';
import { LocalFsStore } from '../../src/storage/local-fs-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openS3Store } from '../../src/storage/s3-store.js';
import { type PgCluster, startPgCluster } from '../support/pg-cluster.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';
import { collect, dec, enc, makeTempDir, readTree, removeDir, testSeed } from './support.js';

// ---- the alphabet ------------------------------------------------------------------------------

/** Few contents, so identical writes (dedup, no-op writes, equal changes on both sides) are common. */
const CONTENTS = ['', 'one', 'two', 'three'] as const;
const CONTENT_OF_ADDRESS = new Map<string, string>(
  CONTENTS.map((c) => [hashBlob(enc(c)).address, c]),
);
const DIRS = ['a', 'b'] as const;
const LEAVES = ['x', 'y', 'z', 'xx', 'xy', 'xz', 'yx', 'yy', 'yz', 'zx', 'zy', 'zz'] as const;
/** `[ab]/[xyz]{1,2}`. */
const PATHS = DIRS.flatMap((d) => LEAVES.map((l) => `${d}/${l}`));
/** Names for new branches and tags (one namespace), including ones that already exist. */
const REF_NAMES = ['dev', 'feat/x', 'fix', 'v1', 'v2.0'] as const;

// ---- the model ---------------------------------------------------------------------------------

/**
 * What a path holds: its content, followed by `@pack:<id>:<offset>` when the bytes are in a pack.
 * Only the content is what users see; the location matters only for tree identity (see above).
 */
type Val = string;
type Tree = ReadonlyMap<string, Val>;
type Staging = Map<string, Val | null>;

const contentOf = (v: Val | undefined): string | undefined =>
  v === undefined ? undefined : v.split('@')[0];

interface MCommit {
  id: string;
  parents: string[];
  tree: Tree;
  generation: number;
  createdAt: number;
}

interface MBranch {
  head: string;
  /** Every staged row (including no-op ones): path → value, or null for a tombstone. */
  staging: Staging;
}

class Model {
  readonly commits = new Map<string, MCommit>();
  readonly branches = new Map<string, MBranch>();
  readonly tags = new Map<string, string>();
  readonly steps: string[] = [];

  commit(id: string): MCommit {
    const c = this.commits.get(id);
    if (!c) throw new Error(`model: unknown commit ${id}`);
    return c;
  }
  branch(name: string): MBranch {
    const b = this.branches.get(name);
    if (!b) throw new Error(`model: unknown branch ${name}`);
    return b;
  }
  branchNames(): string[] {
    return [...this.branches.keys()].sort(compareKeys);
  }
  refNames(): string[] {
    return [...this.branches.keys(), ...this.tags.keys()].sort(compareKeys);
  }
  visible(name: string): Tree {
    const b = this.branch(name);
    return overlay(this.commit(b.head).tree, b.staging);
  }
  isDirty(name: string): boolean {
    return !sameTree(this.visible(name), this.commit(this.branch(name).head).tree);
  }
  ancestors(id: string): Set<string> {
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const c = stack.pop() as string;
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(...this.commit(c).parents);
    }
    return seen;
  }
  /** Commits reachable from any branch or tag, oldest first (a stable order for picking). */
  liveCommits(): MCommit[] {
    const live = new Set<string>();
    for (const b of this.branches.values()) for (const c of this.ancestors(b.head)) live.add(c);
    for (const t of this.tags.values()) for (const c of this.ancestors(t)) live.add(c);
    return [...live].map((id) => this.commit(id)).sort(oldestFirst);
  }
  /** The engine's rule: the common ancestor of highest generation; ties go to the newest. */
  mergeBase(a: string, b: string): string {
    if (a === b) return a;
    const left = this.ancestors(a);
    const common = [...this.ancestors(b)].filter((c) => left.has(c)).map((c) => this.commit(c));
    common.sort(
      (x, y) =>
        y.generation - x.generation ||
        y.createdAt - x.createdAt ||
        (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    );
    const best = common[0];
    if (!best) throw new Error('model: no common ancestor');
    return best.id;
  }
}

const oldestFirst = (x: MCommit, y: MCommit): number =>
  x.generation - y.generation ||
  x.createdAt - y.createdAt ||
  (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);

function overlay(tree: Tree, staging: Staging): Tree {
  if (staging.size === 0) return tree;
  const out = new Map(tree);
  for (const [p, v] of staging) {
    if (v === null) out.delete(p);
    else out.set(p, v);
  }
  return out;
}

/** Same content at the same paths (and, with `exact`, the same physical locations). */
function sameTree(a: Tree, b: Tree): boolean {
  if (a.size !== b.size) return false;
  for (const [p, v] of a) if (contentOf(b.get(p)) !== contentOf(v)) return false;
  return true;
}

/** Whether the engine records a commit whose tree is `after` over a head whose tree is `before`. */
function treeChanged(before: Tree, after: Tree): boolean {
  return !sameTree(before, after);
}

function showTree(t: Tree): string {
  const keys = [...t.keys()].sort(compareKeys);
  return `{${keys.map((k) => `${k}=${JSON.stringify(contentOf(t.get(k)))}`).join(' ')}}`;
}

/**
 * Where putObjects puts each item of a batch: a batch of two or more small objects becomes one
 * pack (the `pack` tag, then each distinct content once, in order); a single object is loose.
 */
function physicalOf(items: { content: string }[]): (string | undefined)[] {
  if (items.length < 2) return items.map(() => undefined);
  const chunks: Buffer[] = [Buffer.from(tag('pack'))];
  let size = chunks[0]?.byteLength ?? 0;
  const offsets = new Map<string, number>();
  const at = items.map((i) => {
    let offset = offsets.get(i.content);
    if (offset === undefined) {
      offset = size;
      offsets.set(i.content, offset);
      chunks.push(Buffer.from(i.content));
      size += Buffer.byteLength(i.content);
    }
    return offset;
  });
  const id = sha256Hex(Buffer.concat(chunks));
  return at.map((offset) => `pack:${id}:${offset}`);
}

/** `type path` for each difference from `before` to `after`, in key order (what status() says). */
function changes(before: Tree, after: Tree): string[] {
  const out: string[] = [];
  for (const p of [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys)) {
    const b = contentOf(before.get(p));
    const a = contentOf(after.get(p));
    if (b === a) continue;
    out.push(`${b === undefined ? 'added' : a === undefined ? 'removed' : 'changed'} ${p}`);
  }
  return out;
}

/** The three-way merge rule: one-sided changes win, equal changes are kept once, others conflict. */
function threeWay(
  base: Tree,
  source: Tree,
  dest: Tree,
  strategy: MergeStrategy,
): { tree: Tree; conflicts: string[]; applied: number } {
  const out = new Map(dest);
  const conflicts: string[] = [];
  let applied = 0;
  const take = (p: string, v: Val | undefined): void => {
    if (v === undefined) out.delete(p);
    else out.set(p, v);
    applied++;
  };
  for (const p of new Set([...base.keys(), ...source.keys(), ...dest.keys()])) {
    const b = contentOf(base.get(p));
    const s = contentOf(source.get(p));
    const d = contentOf(dest.get(p));
    if (s === b) continue;
    if (d === b) take(p, source.get(p));
    else if (s !== d) {
      conflicts.push(p);
      if (strategy === 'source-wins') take(p, source.get(p));
    }
  }
  return { tree: out, conflicts: conflicts.sort(compareKeys), applied };
}

// ---- operations as data ------------------------------------------------------------------------

/** An existing branch (by index), or now and then a name from REF_NAMES that may not be one. */
type BranchPick = { ghost: boolean; i: number };
/** A commit-ish: an existing ref (or a ghost name), written as its name, id or id prefix, plus a suffix. */
type RefPick = {
  ghost: boolean;
  i: number;
  form: 'name' | 'id' | 'short';
  suffix: '' | '~1' | '~2' | '^2';
};
type RmTarget =
  | { kind: 'visible'; i: number }
  | { kind: 'dir'; dir: string }
  | { kind: 'any'; path: string };

type Op =
  | { op: 'put' | 'work'; b: BranchPick; items: { path: string; content: string }[] }
  | { op: 'rm'; b: BranchPick; targets: RmTarget[]; recursive: boolean }
  | { op: 'commit'; b: BranchPick; allowEmpty: boolean }
  | { op: 'branch'; name: number; from: RefPick }
  | { op: 'deleteBranch'; b: BranchPick }
  | {
      op: 'merge';
      src: RefPick;
      otherBranch: boolean;
      dest: BranchPick;
      strategy: MergeStrategy;
      noFastForward: boolean;
    }
  | {
      op: 'revert' | 'cherryPick';
      b: BranchPick;
      target: number;
      parent?: 1 | 2;
      form: 'id' | 'short';
    }
  | { op: 'resetStaging'; b: BranchPick; path?: string }
  | { op: 'resetBranch'; b: BranchPick; to: RefPick }
  | { op: 'tag'; name: number; ref: RefPick }
  | { op: 'gc' }
  | { op: 'fsck' }
  | { op: 'diff'; left: RefPick; right: RefPick };

const rare = (n: number) => fc.nat(n - 1).map((x) => x === 0);
/** An index into a list known only at run time (unbiased: fast-check otherwise favours 0). */
const index = (max = 15) => fc.noBias(fc.nat(max));
const branchPickArb: fc.Arbitrary<BranchPick> = fc.record({ ghost: rare(15), i: index() });
const refPickArb: fc.Arbitrary<RefPick> = fc.record({
  ghost: rare(15),
  i: index(),
  form: fc.constantFrom('name', 'name', 'name', 'id', 'short'),
  suffix: fc.oneof(
    { weight: 12, arbitrary: fc.constant('' as const) },
    { weight: 1, arbitrary: fc.constantFrom('~1' as const, '~2' as const, '^2' as const) },
  ),
});
/** A few hot paths (so both sides of a merge touch the same ones) and the whole alphabet. */
const pathArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('a/x', 'a/y', 'b/x') },
  { weight: 3, arbitrary: fc.constantFrom(...PATHS) },
);
const itemArb = fc.record({ path: pathArb, content: fc.constantFrom(...CONTENTS) });
/** 1–4 objects for one putObjects call; now and then with a path twice (refused as a whole). */
const itemsArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.uniqueArray(itemArb, { minLength: 1, maxLength: 4, selector: (i) => i.path }),
  },
  { weight: 1, arbitrary: fc.array(itemArb, { minLength: 2, maxLength: 4 }) },
);
const rmTargetArb: fc.Arbitrary<RmTarget> = fc.oneof(
  { weight: 6, arbitrary: index(30).map((i) => ({ kind: 'visible' as const, i })) },
  { weight: 2, arbitrary: fc.constantFrom(...DIRS).map((dir) => ({ kind: 'dir' as const, dir })) },
  { weight: 1, arbitrary: pathArb.map((path) => ({ kind: 'any' as const, path })) },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('put' as const), b: branchPickArb, items: itemsArb }),
  },
  // put + commit on the same branch: history grows, branches diverge.
  {
    weight: 14,
    arbitrary: fc.record({ op: fc.constant('work' as const), b: branchPickArb, items: itemsArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('rm' as const),
      b: branchPickArb,
      targets: fc.array(rmTargetArb, { minLength: 1, maxLength: 2 }),
      recursive: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('commit' as const),
      b: branchPickArb,
      allowEmpty: rare(8),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('branch' as const),
      name: index(REF_NAMES.length - 1),
      from: refPickArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('deleteBranch' as const), b: branchPickArb }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      op: fc.constant('merge' as const),
      src: refPickArb,
      otherBranch: fc.nat(4).map((x) => x > 0),
      dest: branchPickArb,
      strategy: fc.constantFrom<MergeStrategy>('fail', 'fail', 'source-wins', 'dest-wins'),
      noFastForward: rare(4),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        op: fc.constantFrom('revert' as const, 'cherryPick' as const),
        b: branchPickArb,
        target: index(40),
        parent: fc.constantFrom<1 | 2 | undefined>(
          undefined,
          undefined,
          undefined,
          undefined,
          1,
          2,
        ),
        form: fc.constantFrom('id' as const, 'short' as const),
      },
      { requiredKeys: ['op', 'b', 'target', 'form'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        op: fc.constant('resetStaging' as const),
        b: branchPickArb,
        path: fc.oneof(pathArb, fc.constantFrom(...DIRS)),
      },
      { requiredKeys: ['op', 'b'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('resetBranch' as const),
      b: branchPickArb,
      to: refPickArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('tag' as const),
      name: index(REF_NAMES.length - 1),
      ref: refPickArb,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'gc' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'fsck' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('diff' as const), left: refPickArb, right: refPickArb }),
  },
);

// ---- running an operation against both ---------------------------------------------------------

interface Real {
  repo: Repository;
}

type Prediction = { code: string } | { ok: true };
const refuse = (code: string): Prediction => ({ code });
const OK: Prediction = { ok: true };

class ModelError extends Error {}

/** How often each operation succeeded or was refused with each code (printed after a run). */
const stats = new Map<string, number>();
const count = (key: string): void => {
  stats.set(key, (stats.get(key) ?? 0) + 1);
};

function fail(m: Model, message: string): never {
  throw new ModelError(`${message}\n  steps so far:\n    ${m.steps.join('\n    ')}`);
}

/** Runs the engine call and checks it against the prediction; returns the result when both succeed. */
async function outcome<T>(
  m: Model,
  predicted: Prediction,
  call: () => Promise<T>,
): Promise<T | undefined> {
  let result: T;
  try {
    result = await call();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if ('code' in predicted && code === predicted.code) {
      count(`${m.steps.at(-1)?.split('(')[0]} ${code}`);
      return undefined;
    }
    const expected = 'code' in predicted ? predicted.code : 'success';
    fail(
      m,
      `engine threw ${String(code ?? err)} (${(err as Error).message}); model expected ${expected}\n${(err as Error).stack}`,
    );
  }
  if ('code' in predicted) fail(m, `engine succeeded; model expected ${predicted.code}`);
  count(`${m.steps.at(-1)?.split('(')[0]} ok`);
  return result;
}

function pickBranch(m: Model, p: BranchPick): string {
  if (p.ghost) return REF_NAMES[p.i % REF_NAMES.length] as string;
  const names = m.branchNames();
  return names[p.i % names.length] as string;
}

/** Where a write-target name leads: the branch, or the error the engine must raise. */
function requireBranch(m: Model, name: string): Prediction {
  if (m.branches.has(name)) return OK;
  if (m.tags.has(name)) return refuse('NotABranchError');
  return refuse('BranchNotFoundError');
}

function pickRef(
  m: Model,
  p: RefPick,
  among?: string[],
): { expr: string; commit?: string; code?: string } {
  const names = among && among.length > 0 ? among : m.refNames();
  const name = p.ghost
    ? (REF_NAMES[p.i % REF_NAMES.length] as string)
    : (names[p.i % names.length] as string);
  const base = m.branches.get(name)?.head ?? m.tags.get(name);
  if (base === undefined) return { expr: name + p.suffix, code: 'RefNotFoundError' };
  let expr = p.form === 'name' ? name : p.form === 'id' ? base : base.slice(0, 12);
  expr += p.suffix;
  let commit: string | undefined = base;
  if (p.suffix === '~1' || p.suffix === '~2') {
    for (let i = 0; i < Number(p.suffix.slice(1)) && commit !== undefined; i++)
      commit = m.commit(commit).parents[0];
  } else if (p.suffix === '^2') {
    commit = m.commit(base).parents[1];
  }
  return commit === undefined ? { expr, code: 'RefNotFoundError' } : { expr, commit };
}

/** Records a commit the engine made, after checking it against what the model expected. */
async function acceptCommit(
  m: Model,
  r: Real,
  c: Commit | undefined,
  expected: { parents: string[]; tree: Tree },
): Promise<MCommit> {
  if (!c) fail(m, 'engine returned no commit');
  if (JSON.stringify(c.parents) !== JSON.stringify(expected.parents)) {
    fail(
      m,
      `commit ${c.id} has parents ${JSON.stringify(c.parents)}; model expected ${JSON.stringify(expected.parents)}`,
    );
  }
  const generation = Math.max(...expected.parents.map((p) => m.commit(p).generation)) + 1;
  if (c.generation !== generation)
    fail(m, `commit ${c.id} has generation ${c.generation}; model expected ${generation}`);
  const stored = await r.repo.getCommit(c.id);
  if (stored.tree !== c.tree || stored.createdAt.getTime() !== c.createdAt.getTime()) {
    fail(m, `commit ${c.id} read back differs from the commit returned`);
  }
  const listed = await engineTree(m, r, c.id);
  if (!sameTree(listed, expected.tree)) {
    fail(
      m,
      `commit ${c.id} tree is ${showTree(listed)}; model expected ${showTree(expected.tree)}`,
    );
  }
  const mc: MCommit = {
    id: c.id,
    parents: [...c.parents],
    tree: expected.tree,
    generation,
    createdAt: c.createdAt.getTime(),
  };
  m.commits.set(c.id, mc);
  return mc;
}

/** path → value at a ref, from list() alone (addresses are mapped back to the known contents). */
async function engineTree(m: Model, r: Real, ref: string): Promise<Tree> {
  const out = new Map<string, string>();
  for await (const item of r.repo.list(ref)) {
    if (item.type !== 'object') fail(m, `list(${ref}) returned a prefix without a delimiter`);
    const content = CONTENT_OF_ADDRESS.get(item.entry.address);
    if (content === undefined)
      fail(m, `list(${ref}): ${item.entry.path} has unknown address ${item.entry.address}`);
    if (item.entry.size !== Buffer.byteLength(content))
      fail(m, `list(${ref}): ${item.entry.path} has a wrong size`);
    out.set(item.entry.path, item.entry.physical ? `${content}@${item.entry.physical}` : content);
  }
  return out;
}

/** A merge, revert or cherry-pick moved the head of a clean branch: what becomes of its staging. */
function afterAdvance(b: MBranch, head: string): void {
  b.head = head;
  b.staging = new Map();
}

async function doPut(
  m: Model,
  r: Real,
  name: string,
  items: { path: string; content: string }[],
): Promise<boolean> {
  const paths = items.map((i) => i.path);
  m.steps.push(
    `putObjects(${name}, ${items.map((i) => `${i.path}=${JSON.stringify(i.content)}`).join(', ')})`,
  );
  const predicted =
    new Set(paths).size !== paths.length ? refuse('InvalidArgumentError') : requireBranch(m, name);
  const done = await outcome(m, predicted, () =>
    r.repo.putObjects(
      name,
      items.map((i) => ({ path: i.path, body: enc(i.content) })),
    ),
  );
  if (!done) return false;
  const physical = physicalOf(items);
  for (const [k, i] of items.entries()) {
    const at = physical[k];
    m.branch(name).staging.set(i.path, at ? `${i.content}@${at}` : i.content);
  }
  return true;
}

async function doCommit(m: Model, r: Real, name: string, allowEmpty: boolean): Promise<void> {
  m.steps.push(`commit(${name}, {allowEmpty: ${allowEmpty}})`);
  let predicted = requireBranch(m, name);
  if (
    'ok' in predicted &&
    !allowEmpty &&
    !treeChanged(m.commit(m.branch(name).head).tree, m.visible(name))
  ) {
    predicted = refuse('EmptyCommitError');
  }
  const expected =
    'ok' in predicted ? { parents: [m.branch(name).head], tree: m.visible(name) } : undefined;
  const c = await outcome(m, predicted, () =>
    r.repo.commit(name, { message: `step ${m.steps.length}`, allowEmpty }),
  );
  if (expected) {
    const mc = await acceptCommit(m, r, c, expected);
    m.branch(name).head = mc.id;
    m.branch(name).staging = new Map();
    m.steps.push(`  -> ${mc.id.slice(0, 12)} ${showTree(mc.tree)}`);
  } else if ('code' in predicted && predicted.code === 'EmptyCommitError') {
    // The refused commit drops the (no-op) rows it sealed; what the branch shows is unchanged.
    m.branch(name).staging = new Map();
  }
}

async function runOp(m: Model, r: Real, op: Op): Promise<Set<string>> {
  const touched = new Set<string>();
  switch (op.op) {
    case 'put':
    case 'work': {
      const name = pickBranch(m, op.b);
      if ((await doPut(m, r, name, op.items)) && op.op === 'work')
        await doCommit(m, r, name, false);
      touched.add(name);
      break;
    }
    case 'rm': {
      const name = pickBranch(m, op.b);
      const exists = m.branches.has(name);
      const vis = exists ? m.visible(name) : new Map<string, string>();
      const visPaths = [...vis.keys()].sort(compareKeys);
      const targets = op.targets.map((t) =>
        t.kind === 'dir'
          ? t.dir
          : t.kind === 'any'
            ? t.path
            : (visPaths[t.i % Math.max(1, visPaths.length)] ?? 'a/x'),
      );
      m.steps.push(
        `deleteObjects(${name}, ${JSON.stringify(targets)}, {recursive: ${op.recursive}})`,
      );
      let predicted = requireBranch(m, name);
      const removed = new Set<string>();
      if ('ok' in predicted) {
        for (const t of targets) {
          let found = vis.has(t);
          if (found) removed.add(t);
          if (op.recursive) {
            for (const p of visPaths) {
              if (p.startsWith(`${t}/`)) {
                removed.add(p);
                found = true;
              }
            }
          }
          if (!found) predicted = refuse('PathNotFoundError');
        }
      }
      const done = await outcome(m, predicted, () =>
        r.repo.deleteObjects(name, targets, { recursive: op.recursive }),
      );
      if (done) {
        if (JSON.stringify([...done].sort()) !== JSON.stringify([...removed].sort())) {
          fail(
            m,
            `deleteObjects returned ${JSON.stringify(done)}; model expected ${JSON.stringify([...removed])}`,
          );
        }
        for (const p of removed) m.branch(name).staging.set(p, null);
        touched.add(name);
      }
      break;
    }
    case 'commit': {
      const name = pickBranch(m, op.b);
      await doCommit(m, r, name, op.allowEmpty);
      touched.add(name);
      break;
    }
    case 'branch': {
      const name = REF_NAMES[op.name] as string;
      const from = pickRef(m, op.from);
      m.steps.push(`createBranch(${name}, {from: ${from.expr}})`);
      const predicted =
        m.branches.has(name) || m.tags.has(name)
          ? refuse('RefAlreadyExistsError')
          : from.code
            ? refuse(from.code)
            : OK;
      const done = await outcome(m, predicted, () =>
        r.repo.createBranch(name, { from: from.expr }),
      );
      if (done) {
        m.branches.set(name, { head: from.commit as string, staging: new Map() });
        touched.add(name);
      }
      break;
    }
    case 'deleteBranch': {
      const name = pickBranch(m, op.b);
      m.steps.push(`deleteBranch(${name})`);
      let predicted = requireBranch(m, name);
      if ('ok' in predicted && name === 'main') predicted = refuse('DefaultBranchError');
      if (await outcome(m, predicted, () => r.repo.deleteBranch(name).then(() => true)))
        m.branches.delete(name);
      break;
    }
    case 'merge': {
      const dest = pickBranch(m, op.dest);
      // Mostly another branch (tags and the branch itself make for dull up-to-date merges).
      const src = pickRef(
        m,
        op.src,
        op.otherBranch ? m.branchNames().filter((n) => n !== dest) : undefined,
      );
      m.steps.push(
        `merge(${src.expr}, ${dest}, {strategy: ${op.strategy}, noFastForward: ${op.noFastForward}})`,
      );
      let predicted: Prediction = src.code ? refuse(src.code) : requireBranch(m, dest);
      let kind: 'upToDate' | 'ff' | 'merge' = 'merge';
      let base = '';
      let merged: ReturnType<typeof threeWay> | undefined;
      if ('ok' in predicted && src.commit) {
        const head = m.branch(dest).head;
        base = m.mergeBase(src.commit, head);
        if (m.isDirty(dest)) predicted = refuse('UncommittedChangesError');
        else if (base === src.commit) kind = 'upToDate';
        else if (base === head && !op.noFastForward) kind = 'ff';
        else {
          merged = threeWay(
            m.commit(base).tree,
            m.commit(src.commit).tree,
            m.commit(head).tree,
            op.strategy,
          );
          if (merged.conflicts.length > 0 && op.strategy === 'fail')
            predicted = refuse('MergeConflictError');
        }
      }
      const res = await outcome(m, predicted, () =>
        r.repo.merge(src.expr, dest, { strategy: op.strategy, noFastForward: op.noFastForward }),
      );
      if (!res) break;
      const b = m.branch(dest);
      const what = `merge result ${JSON.stringify({ ...res, commit: res.commit?.id })}`;
      if (res.base !== base) fail(m, `${what}: model expected base ${base}`);
      count(
        `merge ${kind}${merged && merged.conflicts.length > 0 ? ` resolved(${op.strategy})` : ''}`,
      );
      if (res.upToDate !== (kind === 'upToDate') || res.fastForward !== (kind === 'ff')) {
        fail(m, `${what}: model expected ${kind}`);
      }
      if (kind === 'ff') {
        if (res.commit?.id !== src.commit)
          fail(m, `${what}: model expected a fast-forward to ${src.commit}`);
        afterAdvance(b, src.commit as string);
      } else if (kind === 'merge' && merged) {
        if (res.applied !== merged.applied || res.resolved.length !== merged.conflicts.length) {
          fail(
            m,
            `${what}: model expected applied ${merged.applied}, resolved ${JSON.stringify(merged.conflicts)}`,
          );
        }
        const mc = await acceptCommit(m, r, res.commit, {
          parents: [b.head, src.commit as string],
          tree: merged.tree,
        });
        afterAdvance(b, mc.id);
        m.steps.push(`  -> ${mc.id.slice(0, 12)} ${showTree(mc.tree)}`);
      } else if (res.commit) {
        fail(m, `${what}: model expected nothing to change`);
      }
      touched.add(dest);
      break;
    }
    case 'revert':
    case 'cherryPick': {
      const name = pickBranch(m, op.b);
      const pool = m.branches.has(name)
        ? op.op === 'revert'
          ? [...m.ancestors(m.branch(name).head)].map((id) => m.commit(id)).sort(oldestFirst)
          : m.liveCommits()
        : m.liveCommits();
      const target = pool[op.target % pool.length] as MCommit;
      const expr = op.form === 'id' ? target.id : target.id.slice(0, 12);
      const opts = op.parent === undefined ? {} : { parent: op.parent };
      m.steps.push(`${op.op}(${name}, ${expr}, ${JSON.stringify(opts)})`);
      let predicted = requireBranch(m, name);
      let expected: { parents: string[]; tree: Tree } | undefined;
      if ('ok' in predicted) {
        const parentId = target.parents[(op.parent ?? 1) - 1];
        if (target.parents.length > 1 && op.parent === undefined)
          predicted = refuse('MergeCommitParentError');
        else if (op.parent !== undefined && parentId === undefined)
          predicted = refuse('InvalidArgumentError');
        else if (m.isDirty(name)) predicted = refuse('UncommittedChangesError');
        else {
          const parentTree: Tree = parentId === undefined ? new Map() : m.commit(parentId).tree;
          const head = m.commit(m.branch(name).head);
          const res =
            op.op === 'revert'
              ? threeWay(target.tree, parentTree, head.tree, 'fail')
              : threeWay(parentTree, target.tree, head.tree, 'fail');
          if (res.conflicts.length > 0) predicted = refuse('MergeConflictError');
          else if (!treeChanged(head.tree, res.tree)) predicted = refuse('EmptyCommitError');
          else expected = { parents: [head.id], tree: res.tree };
        }
      }
      const c = await outcome(m, predicted, () =>
        op.op === 'revert' ? r.repo.revert(name, expr, opts) : r.repo.cherryPick(name, expr, opts),
      );
      if (expected) {
        const mc = await acceptCommit(m, r, c, expected);
        afterAdvance(m.branch(name), mc.id);
        m.steps.push(`  -> ${mc.id.slice(0, 12)} ${showTree(mc.tree)}`);
      }
      touched.add(name);
      break;
    }
    case 'resetStaging': {
      const name = pickBranch(m, op.b);
      m.steps.push(
        `resetStaging(${name}, ${JSON.stringify(op.path === undefined ? {} : { path: op.path })})`,
      );
      const predicted = requireBranch(m, name);
      const n = await outcome(m, predicted, () =>
        r.repo.resetStaging(name, op.path === undefined ? {} : { path: op.path }),
      );
      if (n !== undefined) {
        const staging = m.branch(name).staging;
        const hit = [...staging.keys()].filter(
          (p) => op.path === undefined || p === op.path || p.startsWith(`${op.path}/`),
        );
        if (n !== hit.length)
          fail(m, `resetStaging returned ${n}; model expected ${hit.length} row(s)`);
        for (const p of hit) staging.delete(p);
        touched.add(name);
      }
      break;
    }
    case 'resetBranch': {
      const name = pickBranch(m, op.b);
      const to = pickRef(m, op.to);
      m.steps.push(`resetBranch(${name}, ${to.expr})`);
      const predicted = to.code ? refuse(to.code) : requireBranch(m, name);
      if (await outcome(m, predicted, () => r.repo.resetBranch(name, to.expr))) {
        m.branches.set(name, { head: to.commit as string, staging: new Map() });
        touched.add(name);
      }
      break;
    }
    case 'tag': {
      const name = REF_NAMES[op.name] as string;
      const ref = pickRef(m, op.ref);
      m.steps.push(`createTag(${name}, ${ref.expr})`);
      const predicted =
        m.branches.has(name) || m.tags.has(name)
          ? refuse('RefAlreadyExistsError')
          : ref.code
            ? refuse(ref.code)
            : OK;
      if (await outcome(m, predicted, () => r.repo.createTag(name, ref.expr)))
        m.tags.set(name, ref.commit as string);
      break;
    }
    case 'gc': {
      m.steps.push('gc({retentionDays: 0, graceMs: 0})');
      await r.repo.gc({ retentionDays: 0, graceMs: 0 });
      for (const name of m.branches.keys()) touched.add(name);
      for (const name of m.tags.keys()) touched.add(name);
      await checkFsck(m, r);
      break;
    }
    case 'diff': {
      const left = pickRef(m, op.left);
      const right = pickRef(m, op.right);
      m.steps.push(`diff(${left.expr}, ${right.expr})`);
      const predicted = left.code ? refuse(left.code) : right.code ? refuse(right.code) : OK;
      const got = await outcome(m, predicted, () => collect(r.repo.diff(left.expr, right.expr)));
      if (got) {
        const actual = got.map((c) => `${c.type} ${c.path}`);
        const expected = changes(
          m.commit(left.commit as string).tree,
          m.commit(right.commit as string).tree,
        );
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          fail(m, `diff is ${JSON.stringify(actual)}; model expected ${JSON.stringify(expected)}`);
        }
      }
      break;
    }
    case 'fsck': {
      m.steps.push('fsck()');
      await checkFsck(m, r);
      break;
    }
  }
  return touched;
}

async function checkFsck(m: Model, r: Real): Promise<void> {
  const report = await r.repo.fsck();
  if (!report.ok) fail(m, `fsck found problems: ${JSON.stringify(report.problems)}`);
}

/**
 * Everything observable equals the model: refs, each branch's visible content and status, each
 * tag's content. Objects are read back (getObject) on the refs in `read`.
 */
async function checkState(m: Model, r: Real, read: Set<string>): Promise<void> {
  const branches = await collect(r.repo.listBranches());
  const heads = Object.fromEntries(branches.map((b) => [b.name, b.head]));
  const expectedHeads = Object.fromEntries(m.branchNames().map((n) => [n, m.branch(n).head]));
  if (JSON.stringify(heads) !== JSON.stringify(expectedHeads)) {
    fail(
      m,
      `branches are ${JSON.stringify(heads)}; model expected ${JSON.stringify(expectedHeads)}`,
    );
  }
  const tags = Object.fromEntries(
    (await collect(r.repo.listTags())).map((t) => [t.name, t.commitId]),
  );
  const expectedTags = Object.fromEntries(
    [...m.tags.keys()].sort(compareKeys).map((n) => [n, m.tags.get(n)]),
  );
  if (JSON.stringify(tags) !== JSON.stringify(expectedTags)) {
    fail(m, `tags are ${JSON.stringify(tags)}; model expected ${JSON.stringify(expectedTags)}`);
  }
  for (const name of m.branchNames()) {
    const expected = m.visible(name);
    const actual = await engineTree(m, r, name);
    if (!sameTree(actual, expected))
      fail(m, `branch ${name} shows ${showTree(actual)}; model expected ${showTree(expected)}`);
    const status = (await collect(r.repo.status(name))).map((c) => `${c.type} ${c.path}`);
    const expectedStatus = changes(m.commit(m.branch(name).head).tree, expected);
    if (JSON.stringify(status) !== JSON.stringify(expectedStatus)) {
      fail(
        m,
        `status(${name}) is ${JSON.stringify(status)}; model expected ${JSON.stringify(expectedStatus)}`,
      );
    }
  }
  for (const [name, id] of m.tags) {
    const expected = m.commit(id).tree;
    const actual = await engineTree(m, r, name);
    if (!sameTree(actual, expected))
      fail(m, `tag ${name} shows ${showTree(actual)}; model expected ${showTree(expected)}`);
  }
  for (const ref of read) {
    const expected = m.branches.has(ref)
      ? m.visible(ref)
      : m.tags.has(ref)
        ? m.commit(m.tags.get(ref) as string).tree
        : undefined;
    if (!expected) continue;
    for (const [path, value] of expected) {
      const content = contentOf(value);
      let bytes: Uint8Array;
      try {
        bytes = await r.repo.getObject(ref, path);
      } catch (err) {
        fail(m, `getObject(${ref}, ${path}) failed: ${(err as Error).message}`);
      }
      if (dec(bytes) !== content)
        fail(
          m,
          `getObject(${ref}, ${path}) is ${JSON.stringify(dec(bytes))}; model expected ${JSON.stringify(content)}`,
        );
    }
    // Listing by "directory": prefixes with a delimiter, entries under a prefix.
    const dirs = [...new Set([...expected.keys()].map((p) => `${p.split('/')[0]}/`))].sort(
      compareKeys,
    );
    const listed = (await collect(r.repo.list(ref, { delimiter: '/' }))).map((i) =>
      i.type === 'prefix' ? i.path : `object ${i.entry.path}`,
    );
    if (JSON.stringify(listed) !== JSON.stringify(dirs)) {
      fail(
        m,
        `list(${ref}, {delimiter: '/'}) is ${JSON.stringify(listed)}; model expected ${JSON.stringify(dirs)}`,
      );
    }
    const underA = (await collect(r.repo.list(ref, { prefix: 'a/' }))).map((i) =>
      i.type === 'object' ? i.entry.path : `prefix ${i.path}`,
    );
    const expectedA = [...expected.keys()].filter((p) => p.startsWith('a/')).sort(compareKeys);
    if (JSON.stringify(underA) !== JSON.stringify(expectedA)) {
      fail(
        m,
        `list(${ref}, {prefix: 'a/'}) is ${JSON.stringify(underA)}; model expected ${JSON.stringify(expectedA)}`,
      );
    }
    // History: every commit reachable from the head, newest first.
    const head = m.branches.get(ref)?.head ?? (m.tags.get(ref) as string);
    const log = (await collect(r.repo.log(ref))).map((c) => c.id);
    const expectedLog = [...m.ancestors(head)]
      .map((id) => m.commit(id))
      .sort(
        (x, y) =>
          y.createdAt - x.createdAt ||
          y.generation - x.generation ||
          (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
      )
      .map((c) => c.id);
    if (JSON.stringify(log) !== JSON.stringify(expectedLog)) {
      fail(
        m,
        `log(${ref}) is ${JSON.stringify(log)}; model expected ${JSON.stringify(expectedLog)}`,
      );
    }
  }
}

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly op: Op) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const touched = await runOp(m, r, this.op);
    await checkState(m, r, touched);
  }
  toString(): string {
    return JSON.stringify(this.op);
  }
}

/** A sequence opens with a branch or two off main (so merges have two sides), then anything. */
const sequenceArb = fc
  .tuple(
    fc.array(
      fc.record({
        op: fc.constant('branch' as const),
        name: index(REF_NAMES.length - 1),
        from: fc.constant<RefPick>({ ghost: false, i: 0, form: 'name', suffix: '' }),
      }),
      { minLength: 0, maxLength: 2 },
    ),
    fc.array(opArb, { minLength: 5, maxLength: 23, size: 'max' }),
  )
  .map(([start, rest]) => [...start, ...rest].map((op) => new Step(op)));

// ---- backends ----------------------------------------------------------------------------------

interface Backend {
  meta: MetaStore;
  newStore(name: string): Promise<ObjectStore>;
  dropStore(name: string, store: ObjectStore): Promise<void>;
}

let sequenceNo = 0;

/** One property run: a fresh repository per sequence, all in one MetaStore. */
async function runSequences(backend: Backend, numRuns: number, label: string): Promise<void> {
  const seed = testSeed(label);
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(sequenceArb, async (steps) => {
      const name = `seq-${++sequenceNo}`;
      const store = await backend.newStore(name);
      try {
        const repo = await Repository.init(backend.meta, store, { name, committer: 'model' });
        const root = await repo.getCommit('main');
        const model = new Model();
        model.commits.set(root.id, {
          id: root.id,
          parents: [],
          tree: new Map(),
          generation: 1,
          createdAt: root.createdAt.getTime(),
        });
        model.branches.set('main', { head: root.id, staging: new Map() });
        const real: Real = { repo };
        await fc.asyncModelRun(() => ({ model, real }), steps);
        // At the end: every object of every ref reads back, and the repository is consistent.
        await checkState(model, real, new Set(model.refNames()));
        await checkFsck(model, real);
      } finally {
        await backend.dropStore(name, store);
      }
    }),
    // Shrinking a long failing sequence can take minutes: stop it in time to report what it has.
    { numRuns, seed, interruptAfterTimeLimit: 200_000 },
  );
  console.log(`[${label}] ${numRuns} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const summary = [...stats].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k}: ${n}`);
  console.log(`[${label}] outcomes: ${summary.join(', ')}`);
  stats.clear();
}

describe('model-based property: embedded (SQLite + local fs)', () => {
  let dir: string;
  let meta: MetaStore;
  beforeAll(async () => {
    dir = makeTempDir('model');
    meta = await openSqliteMetaStore(`${dir}/meta.db`);
  });
  afterAll(async () => {
    await meta?.close();
    removeDir(dir);
  });

  it('1,000 random sequences agree with the model', { timeout: 300_000 }, async () => {
    await runSequences(
      {
        meta,
        newStore: async (name) => new LocalFsStore(`${dir}/${name}`, { fsync: false }),
        dropStore: async (name) => removeDir(`${dir}/${name}`),
      },
      Number(process.env.SLUICE_MODEL_RUNS ?? 1000),
      'model/sqlite+localfs',
    );
  });
});

describe('model-based property: PostgreSQL + S3', () => {
  let pg: PgCluster | undefined;
  let s3: S3TestServer | undefined;
  let meta: MetaStore | undefined;
  beforeAll(async () => {
    [pg, s3] = await Promise.all([startPgCluster(), startS3Server()]);
    meta = await openPostgresMetaStore(pg.url);
  });
  afterAll(async () => {
    await meta?.close();
    await Promise.all([pg?.stop(), s3?.stop()]);
  });

  it('40 random sequences agree with the model', { timeout: 300_000 }, async () => {
    const server = s3 as S3TestServer;
    await runSequences(
      {
        meta: meta as MetaStore,
        newStore: (name) =>
          openS3Store(`s3://${server.bucket}/${name}`, {
            endpoint: server.endpoint,
            region: server.region,
            credentials: {
              accessKeyId: server.accessKeyId,
              secretAccessKey: server.secretAccessKey,
            },
          }),
        dropStore: async (_name, store) => store.close(),
      },
      Number(process.env.SLUICE_MODEL_PG_RUNS ?? 40),
      'model/postgres+s3',
    );
  });
});

// ---- a directed case the random runs reach only rarely ------------------------------------------

describe('merge base of a criss-cross history', () => {
  it('is the newest of the two best common ancestors', async () => {
    const dir = makeTempDir('criss-cross');
    const meta = await openSqliteMetaStore(`${dir}/meta.db`);
    const repo = await Repository.init(meta, new LocalFsStore(`${dir}/objects`, { fsync: false }), {
      name: 'r',
    });
    const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct commit times
    try {
      await repo.createBranch('left');
      await repo.createBranch('right');
      await repo.putObject('left', 'a/x', enc('left'));
      const a1 = await repo.commit('left', { message: 'a1' });
      await tick();
      await repo.putObject('right', 'b/x', enc('right'));
      const b1 = await repo.commit('right', { message: 'b1' });
      await tick();
      await repo.merge('left', 'right'); // right: merge of b1 and a1
      await tick();
      await repo.merge(b1.id, 'left'); // left: merge of a1 and b1
      await tick();
      // a1 and b1 are both best common ancestors (same generation): the newer one, b1, is taken.
      await repo.putObject('left', 'a/y', enc('more'));
      await repo.commit('left', { message: 'more' });
      const res = await repo.merge('left', 'right');
      expect(res.base).toBe(b1.id);
      expect(res.base).not.toBe(a1.id);
      expect((await readTree(repo, 'right'))['a/y']).toBe('more');
    } finally {
      await repo.close();
      removeDir(dir);
    }
  });
});

// ---- minimised counterexamples found by the model ------------------------------------------------

describe('found by the model', () => {
  it('writing content a path already has, unpacked instead of packed, is no change to commit', async () => {
    const dir = makeTempDir('model-bug');
    const meta = await openSqliteMetaStore(`${dir}/meta.db`);
    const repo = await Repository.init(meta, new LocalFsStore(`${dir}/objects`, { fsync: false }), {
      name: 'r',
    });
    try {
      // Two objects in one call are packed; one object alone is stored loose.
      await repo.putObjects('main', [
        { path: 'a/x', body: enc('one') },
        { path: 'a/y', body: enc('two') },
      ]);
      const first = await repo.commit('main', { message: 'packed' });
      await repo.putObject('main', 'a/x', enc('one'));
      expect(await collect(repo.status('main'))).toEqual([]);
      await expect(repo.commit('main', { message: 'nothing changed' })).rejects.toMatchObject({
        code: 'EmptyCommitError',
      });
      expect((await repo.resolve('main')).commit).toBe(first.id);
    } finally {
      await repo.close();
      removeDir(dir);
    }
  });

  it('a merge into a branch whose staging holds only a no-op write shows the merged content', async () => {
    const dir = makeTempDir('model-bug');
    const meta = await openSqliteMetaStore(`${dir}/meta.db`);
    const repo = await Repository.init(meta, new LocalFsStore(`${dir}/objects`, { fsync: false }), {
      name: 'r',
    });
    try {
      await repo.putObject('main', 'a/x', enc('one'));
      await repo.commit('main', { message: 'one' });
      await repo.createBranch('dev');
      await repo.putObject('dev', 'a/x', enc('two'));
      await repo.commit('dev', { message: 'two' });
      await repo.putObject('main', 'a/x', enc('one')); // the content main already has: no change
      expect(await collect(repo.status('main'))).toEqual([]); // so main is clean and may be merged into
      const res = await repo.merge('dev', 'main');
      expect(res.fastForward).toBe(true);
      expect(dec(await repo.getObject(res.commit?.id as string, 'a/x'))).toBe('two');
      // The stale staged row must not shadow the merged content, nor show up as a change.
      expect(dec(await repo.getObject('main', 'a/x'))).toBe('two');
      expect((await collect(repo.status('main'))).map((c) => `${c.type} ${c.path}`)).toEqual([]);
    } finally {
      await repo.close();
      removeDir(dir);
    }
  });
});
