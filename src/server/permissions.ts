// From a route's declared permission to the facts the one decision (auth/authorize.ts) needs:
// which branch a ref names (an alias reads its target; a tag or commit names no branch), whether
// the repository's rules protect it, whether it is a private sandbox. The decision is then
// authorize()'s alone; a refusal is PermissionDeniedError and the request changes nothing.

import type { Action } from '../auth/index.js';
import { authorize, type ResourceFacts, resourceName, type Subject } from '../auth/index.js';
import { PermissionDeniedError, type Repository } from '../index.js';
import type { RepositoryHost } from '../internal.js';
import { gatesOf } from '../quality/index.js';
import { SANDBOX_BRANCH_PREFIX } from '../workflow/index.js';

/** What a route asks for, in the request's own terms. */
export interface PermissionAsk {
  action: Action;
  /** Absent for server-wide actions (auth:Manage, repo:Create). */
  repository?: string;
  /** The branch written, created, deleted or merged into. */
  branch?: string;
  /** A ref read: a branch or alias names its branch; a tag or commit, none. */
  ref?: string;
  /** A merge's source branch. */
  source?: string;
}

/** The branch a ref names for permission purposes, if any. */
async function branchOfRef(repo: Repository, ref: string): Promise<string | undefined> {
  // `sandbox/x~2` reads the sandbox's history: it is the sandbox's branch that is asked about.
  const base = ref.replace(/[~^].*$/s, '');
  try {
    const resolved = await repo.resolve(base);
    if (resolved.kind === 'branch' || resolved.kind === 'alias') return resolved.branch.name;
    return undefined;
  } catch {
    // An unknown ref: the route reports it (404) once permitted to read the repository.
    return undefined;
  }
}

async function privateOwnerOf(repo: Repository, branch: string): Promise<string | undefined> {
  if (!branch.startsWith(SANDBOX_BRANCH_PREFIX)) return undefined;
  const rec = await repo.meta.getSandbox(repo.name, branch.slice(SANDBOX_BRANCH_PREFIX.length));
  return rec?.private === true ? rec.owner : undefined;
}

export async function factsOf(host: RepositoryHost, ask: PermissionAsk): Promise<ResourceFacts> {
  if (ask.repository === undefined) return {};
  const repo = await host.get(ask.repository);
  const branch =
    ask.branch ?? (ask.ref === undefined ? undefined : await branchOfRef(repo, ask.ref));
  const facts: ResourceFacts = { repository: repo.name };
  if (branch === undefined) return facts;
  facts.branch = branch;
  const rule = await gatesOf(repo)?.ruleFor(branch);
  facts.protected = rule?.protected === true;
  const owner = await privateOwnerOf(repo, branch);
  if (owner !== undefined) facts.privateOwner = owner;
  if (ask.source !== undefined) facts.source = ask.source;
  return facts;
}

/** Checks every ask of a request; the first refusal is thrown. */
export async function enforce(
  host: RepositoryHost,
  subject: Subject,
  asks: readonly PermissionAsk[],
): Promise<void> {
  for (const ask of asks) {
    const facts = await factsOf(host, ask);
    const decision = authorize(subject, ask.action, facts);
    if (!decision.allowed) {
      const resource = resourceName(facts);
      throw new PermissionDeniedError(
        `${subject.user} may not ${ask.action} on ${resource}: ${decision.reason}`,
        { action: ask.action, resource, reason: decision.reason },
      );
    }
  }
}
