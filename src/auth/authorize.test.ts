// The decision itself, over the built-in groups: one table of who may do what where. The API's
// permission matrix (test/server/permission-matrix.test.ts) checks the same roles through
// requests; this one pins the policies and the evaluation rules (deny wins, private sandboxes,
// conditions) without a server.
import { describe, expect, test } from 'vitest';
import type { Action } from './actions.js';
import { authorize, type ResourceFacts, type Subject } from './authorize.js';
import { BUILTIN_POLICIES } from './builtin.js';
import { parsePolicyDocument } from './policy.js';

const subject = (group: string, user = `${group.toLowerCase()}-user`): Subject => ({
  user,
  groups: [group],
  policies: BUILTIN_POLICIES.filter((p) => p.name === group),
});

const R = 'sales';
const WHERE: Record<string, ResourceFacts> = {
  protected: { repository: R, branch: 'main', protected: true },
  unprotected: { repository: R, branch: 'dev' },
  ingest: { repository: R, branch: 'ingest/crm/1' },
  private: { repository: R, branch: 'sandbox/x', privateOwner: 'someone-else' },
  repository: { repository: R },
};

type Row = [Action, keyof typeof WHERE, string[]];
// action, where, the groups allowed (Admins always are).
const TABLE: Row[] = [
  ['repo:Read', 'protected', ['Developers', 'Viewers', 'Ingestors', 'Deployers']],
  ['repo:Read', 'private', []],
  ['repo:Read', 'repository', ['Developers', 'Viewers', 'Ingestors', 'Deployers']],
  ['branch:Create', 'unprotected', ['Developers']],
  ['branch:Create', 'ingest', ['Developers', 'Ingestors']],
  ['branch:Write', 'protected', []],
  ['branch:Write', 'unprotected', ['Developers']],
  ['branch:Write', 'ingest', ['Developers', 'Ingestors']],
  ['branch:Write', 'private', []],
  ['branch:Delete', 'protected', []],
  ['branch:Delete', 'unprotected', ['Developers']],
  ['branch:Delete', 'private', []],
  ['tag:Write', 'repository', ['Developers']],
  ['alias:Write', 'repository', []],
  ['sandbox:Create', 'repository', ['Developers']],
  ['check:Run', 'repository', ['Developers', 'Deployers']],
  ['build:Run', 'unprotected', ['Developers']],
  ['load:Run', 'repository', ['Ingestors']],
  ['env:Promote', 'repository', ['Deployers']],
  ['env:Deploy', 'repository', ['Deployers']],
  ['env:Rollback', 'repository', ['Deployers']],
  ['auth:Manage', 'repository', []],
];
const GROUPS = ['Admins', 'Developers', 'Viewers', 'Ingestors', 'Deployers'];

describe('authorize over the built-in groups', () => {
  for (const [action, where, allowed] of TABLE) {
    for (const group of GROUPS) {
      const expected = group === 'Admins' || allowed.includes(group);
      test(`${group} ${expected ? 'may' : 'may not'} ${action} on ${where}`, () => {
        expect(authorize(subject(group), action, WHERE[where] as ResourceFacts).allowed).toBe(
          expected,
        );
      });
    }
  }

  test('merges: developers outside protected branches; ingestors only from ingest/*', () => {
    const into = (branch: string, source: string, prot = false): ResourceFacts => ({
      repository: R,
      branch,
      protected: prot,
      source,
    });
    expect(authorize(subject('Developers'), 'branch:Merge', into('dev', 'feat')).allowed).toBe(
      true,
    );
    expect(
      authorize(subject('Developers'), 'branch:Merge', into('main', 'dev', true)).allowed,
    ).toBe(false);
    const ingestor = subject('Ingestors');
    expect(authorize(ingestor, 'branch:Merge', into('main', 'ingest/crm/1', true)).allowed).toBe(
      true,
    );
    expect(authorize(ingestor, 'branch:Merge', into('main', 'dev', true)).allowed).toBe(false);
    expect(authorize(subject('Viewers'), 'branch:Merge', into('dev', 'feat')).allowed).toBe(false);
  });

  test("a private sandbox is its owner's (and admins')", () => {
    const facts = { repository: R, branch: 'sandbox/x', privateOwner: 'ann' };
    expect(authorize(subject('Developers', 'ann'), 'branch:Write', facts).allowed).toBe(true);
    expect(authorize(subject('Developers', 'bob'), 'repo:Read', facts).allowed).toBe(false);
    expect(authorize(subject('Admins', 'root'), 'repo:Read', facts).allowed).toBe(true);
  });

  test('deny wins over allow, whatever the order', () => {
    const deny = {
      name: 'no-prod',
      ...parsePolicyDocument({
        statements: [{ effect: 'deny', action: ['branch:*'], resource: ['sales/production*'] }],
      }),
    };
    const admin = { ...subject('Admins'), policies: [deny, ...subject('Admins').policies] };
    const d = authorize(admin, 'branch:Write', { repository: R, branch: 'production-blue' });
    expect(d).toEqual({ allowed: false, reason: 'denied by policy no-prod' });
    expect(authorize(admin, 'branch:Write', { repository: R, branch: 'dev' }).allowed).toBe(true);
    expect(authorize(admin, 'repo:Read', { repository: R, branch: 'production' }).allowed).toBe(
      true,
    );
  });

  test('nothing allowed is denied, with the reason', () => {
    const nobody: Subject = { user: 'x', groups: [], policies: [] };
    expect(authorize(nobody, 'repo:Read', { repository: R })).toEqual({
      allowed: false,
      reason: 'no policy allows repo:Read on sales',
    });
  });

  test('a repository pattern covers the repository and its branches; another repository is not', () => {
    const p = {
      name: 'sales-only',
      ...parsePolicyDocument({
        statements: [{ effect: 'allow', action: ['repo:Read'], resource: ['sales'] }],
      }),
    };
    const s: Subject = { user: 'x', groups: [], policies: [p] };
    expect(authorize(s, 'repo:Read', { repository: 'sales' }).allowed).toBe(true);
    expect(authorize(s, 'repo:Read', { repository: 'sales', branch: 'main' }).allowed).toBe(true);
    expect(authorize(s, 'repo:Read', { repository: 'hr', branch: 'main' }).allowed).toBe(false);
  });

  test('policy documents are validated: unknown actions and keys are refused by name', () => {
    expect(() =>
      parsePolicyDocument({
        statements: [{ effect: 'allow', action: ['fs:Read'], resource: ['*'] }],
      }),
    ).toThrow(/unknown action/);
    expect(() =>
      parsePolicyDocument({
        statements: [{ effect: 'allow', action: ['*'], resource: ['*'], when: {} }],
      }),
    ).toThrow(/statements\.0/);
    expect(() => parsePolicyDocument('{not json')).toThrow(/not JSON/);
  });
});
