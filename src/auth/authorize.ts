// The one decision every request goes through — API now, S3 gateway and UI later. Pure: the edge
// gathers the facts (who, which action, which repository and branch, whether the branch is
// protected or a private sandbox) and this function answers. Deny wins over allow; nothing
// allowed is denied. The repository's gates still run after an allowed merge.
import type { Action } from './actions.js';
import { actionMatches } from './actions.js';
import { ADMINS } from './builtin.js';
import { globMatches } from './glob.js';
import type { Policy, Statement } from './policy.js';

/** Who asks: the user, its groups and every policy that applies (its own and its groups'). */
export interface Subject {
  user: string;
  groups: readonly string[];
  policies: readonly Policy[];
}

/** What is asked about. A repository-level action (repo:Create, auth:Manage) has no branch. */
export interface ResourceFacts {
  /** Repository name; undefined for actions on the whole server (auth:Manage, repo:Create). */
  repository?: string;
  branch?: string;
  /** The repository's rules protect the branch (merge-only, gated). */
  protected?: boolean;
  /** The branch is a private sandbox's: only its owner and admins may touch it. */
  privateOwner?: string;
  /** For merges: the source branch. */
  source?: string;
}

export interface Decision {
  allowed: boolean;
  /** Why: the statement that decided, or why nothing did. */
  reason: string;
}

/** The resource string statements are matched against: `*`, `repo`, or `repo/branch`. */
export function resourceName(facts: ResourceFacts): string {
  if (facts.repository === undefined) return '*';
  return facts.branch === undefined ? facts.repository : `${facts.repository}/${facts.branch}`;
}

function resourceMatches(pattern: string, facts: ResourceFacts): boolean {
  if (pattern === '*') return true;
  if (facts.repository === undefined) return false;
  // A pattern naming a repository alone covers its repository-level resources and its branches.
  if (!pattern.includes('/')) return globMatches(pattern, facts.repository);
  return facts.branch !== undefined && globMatches(pattern, resourceName(facts));
}

function conditionHolds(s: Statement, facts: ResourceFacts): boolean {
  const c = s.condition;
  if (!c) return true;
  if (c.protected !== undefined && (facts.protected ?? false) !== c.protected) return false;
  if (c.source !== undefined) {
    const source = facts.source;
    if (source === undefined || !c.source.some((p) => globMatches(p, source))) return false;
  }
  return true;
}

function applies(s: Statement, action: Action, facts: ResourceFacts): boolean {
  return (
    s.action.some((a) => actionMatches(a, action)) &&
    s.resource.some((r) => resourceMatches(r, facts)) &&
    conditionHolds(s, facts)
  );
}

/** Allowed or not, and why. */
export function authorize(subject: Subject, action: Action, facts: ResourceFacts): Decision {
  const isAdmin = subject.groups.includes(ADMINS);
  if (facts.privateOwner !== undefined && facts.privateOwner !== subject.user && !isAdmin) {
    return {
      allowed: false,
      reason: `${facts.branch} is a private sandbox of ${facts.privateOwner}`,
    };
  }
  let allowedBy: string | undefined;
  for (const policy of subject.policies) {
    for (const s of policy.statements) {
      if (!applies(s, action, facts)) continue;
      if (s.effect === 'deny') return { allowed: false, reason: `denied by policy ${policy.name}` };
      allowedBy ??= policy.name;
    }
  }
  return allowedBy === undefined
    ? { allowed: false, reason: `no policy allows ${action} on ${resourceName(facts)}` }
    : { allowed: true, reason: `allowed by policy ${allowedBy}` };
}
