// `sluice sandbox create NAME [--from REF] [--ttl 7d]`, `sandbox list`, `sandbox delete NAME`:
// a developer's writable, zero-copy snapshot of production data on the branch sandbox/NAME.
// Expired sandboxes are removed by `sluice gc`. The printing is shared with the remote commands
// (remote/sandbox.ts), fed with the same JSON documents.
import { createSandbox, deleteSandbox, listSandboxes } from '../../index.js';
import {
  type SandboxDeletedJson,
  type SandboxJson,
  type SandboxStatusJson,
  sandboxJson,
  sandboxStatusJson,
} from '../../internal.js';
import { formatDuration, parseDuration } from '../../workflow/index.js';
import { shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

export interface CreateCliOptions {
  from?: string;
  ttl?: string;
  owner?: string;
  private?: boolean;
}

/** `--ttl` in milliseconds (checked before anything is opened, locally and remotely). */
export function ttlOf(opts: CreateCliOptions): number | undefined {
  return opts.ttl === undefined ? undefined : parseDuration(opts.ttl, '--ttl');
}

/** `sluice sandbox create NAME`: the branch sandbox/NAME, in O(1), from a ref. */
export async function create(
  ctx: CommandContext,
  name: string,
  opts: CreateCliOptions,
): Promise<number> {
  const ttlMs = ttlOf(opts);
  const repo = await ctx.repo();
  const s = await createSandbox(repo, name, {
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(ttlMs !== undefined ? { ttlMs } : {}),
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    ...(opts.private === true ? { private: true } : {}),
  });
  printCreated(ctx, sandboxJson(s));
  return 0;
}

export function printCreated(ctx: CommandContext, s: SandboxJson): void {
  ctx.out.result({ sandbox: s }, () => {
    ctx.out.line(
      `created ${s.private ? 'private ' : ''}sandbox ${s.name}: branch ${s.branch} at ${shortId(s.fromCommit)} (from ${s.from})` +
        (s.expiresAt ? `, expires ${s.expiresAt}` : ''),
    );
    ctx.out.note(`next: sluice sql --ref ${s.branch} "select …"`);
    ctx.out.note(
      `      sluice build --branch ${s.branch}; sluice diff main ${s.branch}; sluice merge ${s.branch}`,
    );
  });
}

/** `sluice sandbox list`: every sandbox with its age, expiry and state. */
export async function list(ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const all = await listSandboxes(repo, { now: new Date() });
  printList(ctx, all.map(sandboxStatusJson));
  return 0;
}

export function printList(ctx: CommandContext, all: SandboxStatusJson[]): void {
  ctx.out.result({ sandboxes: all }, () => {
    if (all.length === 0) {
      ctx.out.note('no sandboxes (sluice sandbox create NAME)');
      return;
    }
    ctx.out.table([
      ['NAME', 'BRANCH', 'OWNER', 'FROM', 'AGE', 'EXPIRES', 'STATUS'],
      ...all.map((s) => [
        s.name,
        s.branch,
        s.private ? `${s.owner} (private)` : s.owner,
        `${s.from}@${shortId(s.fromCommit)}`,
        formatDuration(Math.max(0, s.ageMs)),
        expiresText(s),
        stateText(s),
      ]),
    ]);
  });
}

/** `sluice sandbox delete NAME`: its branch (with uncommitted changes) and its record. */
export async function remove(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  const { sandbox: s, branchDeleted } = await deleteSandbox(repo, name);
  printDeleted(ctx, { sandbox: s.name, branch: s.branch, branchDeleted });
  return 0;
}

export function printDeleted(ctx: CommandContext, d: SandboxDeletedJson): void {
  ctx.out.result({ deleted: d }, () =>
    ctx.out.note(
      d.branchDeleted
        ? `deleted sandbox ${d.sandbox} (branch ${d.branch})`
        : `deleted sandbox ${d.sandbox} (its branch ${d.branch} was already gone)`,
    ),
  );
}

function expiresText(s: SandboxStatusJson): string {
  if (s.expiresInMs === null) return 'never';
  if (s.expiresInMs > 0) return `in ${formatDuration(s.expiresInMs)}`;
  return `${formatDuration(-s.expiresInMs)} ago`;
}

function stateText(s: SandboxStatusJson): string {
  if (s.state === 'missing') return 'missing (branch deleted; sluice sandbox delete to clean up)';
  return s.uncommitted ? `${s.state}, uncommitted changes` : s.state;
}
