// What a commit changed: its changes against its first parent, or — a root commit — everything in
// its tree, added. `sluice show` prints them and the server's commit route answers them.

import type { Commit } from '../core/commit-codec.js';
import type { Change } from '../core/entry.js';
import type { Repository } from '../core/repository.js';

export async function commitChanges(repo: Repository, c: Commit): Promise<Change[]> {
  const changes: Change[] = [];
  const parent = c.parents[0];
  if (parent) {
    for await (const change of repo.diff(parent, c.id)) changes.push(change);
    return changes;
  }
  for await (const item of repo.list(c.id)) {
    if (item.type === 'object')
      changes.push({ type: 'added', path: item.entry.path, right: item.entry });
  }
  return changes;
}
