// `sluice sandbox create NAME [--from REF] [--ttl 7d]`, `sandbox list`, `sandbox delete NAME`:
// a developer's writable, zero-copy snapshot of production data on the branch sandbox/NAME.
// Expired sandboxes are removed by `sluice gc`.
import { createSandbox, deleteSandbox, listSandboxes, type SandboxStatus } from '../../index.js';
import { sandboxJson, sandboxStatusJson as statusJson } from '../../internal.js';
import { formatDuration, parseDuration } from '../../workflow/index.js';
import { shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

interface CreateCliOptions {
  from?: string;
  ttl?: string;
  owner?: string;
}

/** `sluice sandbox create NAME`: the branch sandbox/NAME, in O(1), from a ref. */
export async function create(
  ctx: CommandContext,
  name: string,
  opts: CreateCliOptions,
): Promise<number> {
  const ttlMs = opts.ttl === undefined ? undefined : parseDuration(opts.ttl, '--ttl');
  const repo = await ctx.repo();
  const s = await createSandbox(repo, name, {
    ...(opts.from !== undefined ? { from: opts.from } : {}),
    ...(ttlMs !== undefined ? { ttlMs } : {}),
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
  });
  ctx.out.result({ sandbox: sandboxJson(s) }, () => {
    ctx.out.line(
      `created sandbox ${s.name}: branch ${s.branch} at ${shortId(s.fromCommit)} (from ${s.fromRef})` +
        (s.expiresAt ? `, expires ${s.expiresAt.toISOString()}` : ''),
    );
    ctx.out.note(`next: sluice sql --ref ${s.branch} "select …"`);
    ctx.out.note(
      `      sluice build --branch ${s.branch}; sluice diff main ${s.branch}; sluice merge ${s.branch}`,
    );
  });
  return 0;
}

/** `sluice sandbox list`: every sandbox with its age, expiry and state. */
export async function list(ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const now = new Date();
  const all = await listSandboxes(repo, { now });
  ctx.out.result({ sandboxes: all.map(statusJson) }, () => {
    if (all.length === 0) {
      ctx.out.note('no sandboxes (sluice sandbox create NAME)');
      return;
    }
    ctx.out.table([
      ['NAME', 'BRANCH', 'FROM', 'AGE', 'EXPIRES', 'STATUS'],
      ...all.map((s) => [
        s.name,
        s.branch,
        `${s.fromRef}@${shortId(s.fromCommit)}`,
        formatDuration(Math.max(0, s.ageMs)),
        expiresText(s),
        stateText(s),
      ]),
    ]);
  });
  return 0;
}

/** `sluice sandbox delete NAME`: its branch (with uncommitted changes) and its record. */
export async function remove(ctx: CommandContext, name: string): Promise<number> {
  const repo = await ctx.repo();
  const { sandbox: s, branchDeleted } = await deleteSandbox(repo, name);
  ctx.out.result({ deleted: { sandbox: s.name, branch: s.branch, branchDeleted } }, () =>
    ctx.out.note(
      branchDeleted
        ? `deleted sandbox ${s.name} (branch ${s.branch})`
        : `deleted sandbox ${s.name} (its branch ${s.branch} was already gone)`,
    ),
  );
  return 0;
}

function expiresText(s: SandboxStatus): string {
  if (s.expiresInMs === null) return 'never';
  if (s.expiresInMs > 0) return `in ${formatDuration(s.expiresInMs)}`;
  return `${formatDuration(-s.expiresInMs)} ago`;
}

function stateText(s: SandboxStatus): string {
  if (s.state === 'missing') return 'missing (branch deleted; sluice sandbox delete to clean up)';
  return s.uncommitted ? `${s.state}, uncommitted changes` : s.state;
}
