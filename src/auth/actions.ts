// The actions a request may ask for: one vocabulary for the API, the S3 gateway and the UI.
// Names follow IAM's `service:Verb` shape (lakeFS: `fs:ReadObject`); a statement may name one,
// a family (`branch:*`) or all (`*`).

export const ACTIONS = [
  /** Read anything at a ref: objects, log, diff, tables, SQL, check results, lineage, events. */
  'repo:Read',
  'repo:Create',
  'branch:Create',
  /** Stage, delete, commit, reset, revert and cherry-pick on the branch. */
  'branch:Write',
  /** Merge into the branch (the resource is the destination; the source must be readable). */
  'branch:Merge',
  'branch:Delete',
  'tag:Write',
  'alias:Write',
  'sandbox:Create',
  'check:Run',
  'build:Run',
  'load:Run',
  'env:Promote',
  'env:Deploy',
  'env:Rollback',
  /** Users, groups, keys, policies — and the repository's published rules. */
  'auth:Manage',
] as const;
export type Action = (typeof ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(ACTIONS);

export function isAction(name: string): name is Action {
  return KNOWN.has(name);
}

/** Does `pattern` (`*`, `branch:*`, `branch:Write`) name `action`? */
export function actionMatches(pattern: string, action: Action): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith(':*')) return action.startsWith(pattern.slice(0, -1));
  return pattern === action;
}

/** Is `pattern` a valid action pattern: a known action, a known family with `:*`, or `*`? */
export function isActionPattern(pattern: string): boolean {
  if (pattern === '*' || isAction(pattern)) return true;
  if (!pattern.endsWith(':*')) return false;
  const family = pattern.slice(0, -1);
  return ACTIONS.some((a) => a.startsWith(family));
}
