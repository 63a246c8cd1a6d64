// The rules a client enforces: the repository's published rules joined with its local
// sluice.yml's. A local file may add (protect another branch, add checks and webhooks, turn on
// pre-commit checks, forbid a force) but never removes or weakens a published rule: for each
// branch the effective rule is the stricter of the two in every field, so a local `protected:
// false`, `checks: false`, `pre_commit: false`, `allow_force: true` or a missing webhook changes
// nothing where a published rule says otherwise (docs/quality.md, "Effective rules"). Pure and
// light: no parser is loaded here.
import type { GateRule } from './gate-config.js';

/** One source of rules: the repository's published configuration, or a local sluice.yml. */
export interface RuleSource {
  /** How messages name it: `the rules published on main` or `sluice.yml`. */
  where: string;
  gates: readonly GateRule[];
}

/** The rule that holds for a branch, and the rules it was joined from. */
export interface EffectiveRule extends GateRule {
  /** How messages name it: `gate "main" published on main`, `sluice.yml gate "dev/*"`, or both. */
  origin: string;
  published?: GateRule;
  local?: GateRule;
}

/** Does `pattern` (`*` = any characters, `?` = one) name `branch`? */
export function branchMatches(pattern: string, branch: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  );
  return re.test(branch);
}

/** The first rule of a list that names `branch` (the order of sluice.yml decides). */
export function firstRule(gates: readonly GateRule[], branch: string): GateRule | undefined {
  return gates.find((r) => branchMatches(r.branch, branch));
}

const sameHook = (a: GateRule['webhooks'][number], b: GateRule['webhooks'][number]): boolean =>
  a.url === b.url;

/**
 * The stricter of a published and a local rule, field by field: protected, checks and
 * pre_commit if either says so; every webhook of both (the published one's timeout and headers
 * where both name a URL); a force only if both allow it.
 */
export function joinRules(published: GateRule, local: GateRule): GateRule {
  return {
    branch: published.branch,
    protected: published.protected || local.protected,
    checks: published.checks || local.checks,
    pre_commit: published.pre_commit || local.pre_commit,
    webhooks: [
      ...published.webhooks,
      ...local.webhooks.filter((h) => !published.webhooks.some((p) => sameHook(p, h))),
    ],
    allow_force: published.allow_force && local.allow_force,
  };
}

/** The rule that holds for `branch`: the published one joined with the local one, either alone. */
export function effectiveRule(
  published: RuleSource | undefined,
  local: RuleSource | undefined,
  branch: string,
): EffectiveRule | undefined {
  const p = published ? firstRule(published.gates, branch) : undefined;
  const l = local ? firstRule(local.gates, branch) : undefined;
  const named = (src: RuleSource | undefined, r: GateRule): string =>
    src === published
      ? `gate ${JSON.stringify(r.branch)} ${src?.where}`
      : `${src?.where} gate ${JSON.stringify(r.branch)}`;
  if (p && l)
    return {
      ...joinRules(p, l),
      origin: `${named(published, p)}, with ${named(local, l)}`,
      published: p,
      local: l,
    };
  if (p) return { ...p, origin: named(published, p), published: p };
  if (l) return { ...l, origin: named(local, l), local: l };
  return undefined;
}

/** A field of a local rule that would weaken the published rule of the same pattern (ignored). */
export interface Weakening {
  branch: string;
  field: 'protected' | 'checks' | 'pre_commit' | 'allow_force' | 'webhooks';
  /** What the local rule says, and what holds instead. */
  local: string;
  holds: string;
}

/**
 * Where a local file says less than the published rules (each is ignored: the published rule
 * holds). Compared for the branch patterns both name, and for the branches a local rule names
 * literally; `config show` lists them.
 */
export function weakenings(published: RuleSource, local: RuleSource): Weakening[] {
  const out: Weakening[] = [];
  for (const l of local.gates) {
    const p =
      published.gates.find((r) => r.branch === l.branch) ?? firstRule(published.gates, l.branch);
    if (!p) continue;
    for (const field of ['protected', 'checks', 'pre_commit'] as const)
      if (p[field] && !l[field])
        out.push({ branch: l.branch, field, local: 'false', holds: 'true' });
    if (!p.allow_force && l.allow_force)
      out.push({ branch: l.branch, field: 'allow_force', local: 'true', holds: 'false' });
    const missing = p.webhooks.filter((h) => !l.webhooks.some((x) => sameHook(x, h)));
    if (missing.length > 0)
      out.push({
        branch: l.branch,
        field: 'webhooks',
        local: `${l.webhooks.length} webhook(s)`,
        holds: `also ${missing.map((h) => h.url).join(', ')}`,
      });
  }
  return out;
}
