// The built-in groups, one per role of the team workflow (DESIGN.md §2), each with a policy of
// the same name. `sluice auth bootstrap` creates them; they cannot be deleted, and an admin may
// attach more policies to them or to users.
import type { Policy } from './policy.js';

export const ADMINS = 'Admins';

export const BUILTIN_POLICIES: readonly Policy[] = [
  {
    name: 'Admins',
    statements: [{ effect: 'allow', action: ['*'], resource: ['*'] }],
  },
  {
    // Read everything, create branches and sandboxes, run checks and builds; write, merge and
    // delete only where the repository's rules do not protect the branch.
    name: 'Developers',
    statements: [
      {
        effect: 'allow',
        action: ['repo:Read', 'branch:Create', 'sandbox:Create', 'check:Run', 'build:Run'],
        resource: ['*'],
      },
      {
        effect: 'allow',
        action: ['branch:Write', 'branch:Merge', 'branch:Delete', 'tag:Write'],
        resource: ['*'],
        condition: { protected: false },
      },
    ],
  },
  {
    name: 'Viewers',
    statements: [{ effect: 'allow', action: ['repo:Read'], resource: ['*'] }],
  },
  {
    // Machines: write only their own `ingest/…` branches, merge those (through the gates) and run
    // write–audit–publish loads.
    name: 'Ingestors',
    statements: [
      { effect: 'allow', action: ['repo:Read', 'load:Run'], resource: ['*'] },
      {
        effect: 'allow',
        action: ['branch:Create', 'branch:Write', 'branch:Delete'],
        resource: ['*/ingest/*'],
      },
      {
        effect: 'allow',
        action: ['branch:Merge'],
        resource: ['*'],
        condition: { source: ['ingest/*'] },
      },
    ],
  },
  {
    name: 'Deployers',
    statements: [
      {
        effect: 'allow',
        action: ['repo:Read', 'env:Promote', 'env:Deploy', 'env:Rollback', 'check:Run'],
        resource: ['*'],
      },
    ],
  },
];

export const BUILTIN_GROUPS: readonly string[] = BUILTIN_POLICIES.map((p) => p.name);
