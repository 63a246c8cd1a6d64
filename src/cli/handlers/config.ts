// `sluice config push [-m MSG]` publishes this directory's rules — sluice.yml's repository-wide
// sections (gates:) and the check files they run — under _sluice/config/ on the default branch,
// through its gate, as a `config` event with its actor; a push that changes nothing says so and
// writes nothing. `sluice config show` prints what the repository enforces: the published rules
// and their commit, and what this directory's files add (or would weaken: ignored).
import { findRepoDir } from '../../index.js';
import {
  type CheckRef,
  type ConfigStatus,
  configStatus,
  describePush,
  type GateRule,
} from '../../quality/index.js';
import { publishConfig } from '../../workflow/index.js';
import { commitJson, shortId } from '../output.js';
import type { CommandContext } from '../runner.js';

/** A gate rule as show prints it: its fields, webhook header values hidden. */
function ruleJson(r: GateRule): Record<string, unknown> {
  return {
    ...r,
    webhooks: r.webhooks.map((h) => ({
      url: h.url,
      timeout: h.timeout,
      ...(h.headers
        ? { headers: Object.fromEntries(Object.keys(h.headers).map((k) => [k, '(set)'])) }
        : {}),
    })),
  };
}

/** `protected, checks, 1 webhook, allow_force`: a rule in words. */
function ruleWords(r: GateRule): string {
  return [
    r.protected ? 'protected' : 'not protected',
    ...(r.checks && r.protected ? ['checks'] : []),
    ...(r.pre_commit ? ['pre_commit'] : []),
    ...(r.webhooks.length > 0 ? [`${r.webhooks.length} webhook(s)`] : []),
    ...(r.allow_force ? ['allow_force'] : []),
  ].join(', ');
}

const checkWords = (checks: CheckRef[]): string =>
  checks.length === 0
    ? 'none'
    : `${checks.length}: ${checks.map((c) => `${c.id} (${c.file})`).join(', ')}`;

export async function push(ctx: CommandContext, opts: { message?: string }): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const repo = await ctx.repo();
  const {
    push: p,
    event,
    eventError,
  } = await publishConfig(repo, dir, {
    ...(opts.message ? { message: opts.message } : {}),
  });
  if (eventError)
    ctx.io.stderr.write(`warning: the config event was not recorded: ${eventError}\n`);
  const doc = {
    config: {
      branch: p.branch,
      changed: p.commit !== undefined,
      from: p.from,
      commit: p.commit ? commitJson(p.commit) : null,
      files: p.files,
      gates: p.gates,
      ...(p.gate ? { gate: { webhooks: p.gate.webhooks } } : {}),
    },
    event: event?.id ?? null,
  };
  ctx.out.result(doc, () => {
    if (!p.commit) {
      ctx.out.note(
        `nothing to publish: ${p.branch} @ ${shortId(p.from)} already holds this directory's rules`,
      );
      return;
    }
    ctx.out.note(
      `published on ${p.branch}: commit ${shortId(p.commit.id)} (${describePush(p.files, p.gates)})`,
    );
    if (p.gate?.webhooks.length)
      ctx.out.note(`gate ${p.branch}: ${p.gate.webhooks.length} webhook(s) agreed`);
  });
  return 0;
}

function showText(ctx: CommandContext, s: ConfigStatus): void {
  const pub = s.published;
  const rows = (gates: GateRule[]): void => {
    const width = Math.max(0, ...gates.map((g) => g.branch.length));
    for (const g of gates) ctx.out.note(`  gate ${g.branch.padEnd(width)}  ${ruleWords(g)}`);
  };
  if (pub.files.length === 0) {
    ctx.out.note(
      `nothing published on ${s.branch} (sluice config push publishes sluice.yml's gates)`,
    );
  } else {
    const c = pub.commit;
    ctx.out.note(
      `published on ${s.branch} @ ${shortId(s.head)}${c ? ` (by ${c.actor ?? c.committer} in ${shortId(c.id)}, ${c.createdAt})` : ''}:`,
    );
    rows(pub.gates);
    ctx.out.note(`  checks  ${checkWords(pub.checks)}`);
  }
  const local = s.local;
  if (!local) return;
  if (local.addedGates.length > 0 || local.addedChecks.length > 0) {
    ctx.out.note(`${local.file ?? 'this directory'} adds (for this client's writes and merges):`);
    rows(local.addedGates);
    if (local.addedChecks.length > 0) ctx.out.note(`  checks  ${checkWords(local.addedChecks)}`);
  }
  for (const w of local.weakenings)
    ctx.out.note(
      `  ignored: gate ${w.branch} ${w.field}: ${w.local} (the published rule holds: ${w.holds})`,
    );
  if (local.differs) ctx.out.note(`sluice config push would change what ${s.branch} publishes`);
}

export async function show(ctx: CommandContext): Promise<number> {
  const dir = findRepoDir(ctx.globals.repo);
  const repo = await ctx.repo();
  const s = await configStatus(repo, dir);
  const doc = {
    ...s,
    published: { ...s.published, gates: s.published.gates.map(ruleJson) },
    ...(s.local
      ? {
          local: {
            ...s.local,
            gates: s.local.gates.map(ruleJson),
            addedGates: s.local.addedGates.map(ruleJson),
          },
        }
      : {}),
  };
  ctx.out.result({ config: doc }, () => showText(ctx, s));
  return 0;
}
