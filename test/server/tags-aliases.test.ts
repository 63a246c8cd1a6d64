// Tags and aliases in-process: list, create/set, get, delete — success, schema refusal, error
// mapping (404 unknown, 409 taken), permissions (tag:Write, alias:Write), nothing changed when
// refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.js';

let s: ApiServer;
beforeEach(async () => {
  s = await startApiServer();
});
afterEach(async () => {
  await s.close();
});

const call = (user: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  s.call(user, { method, url: s.base + url, ...(payload ? { payload } : {}) });
const head = async () => (await call('admin', 'GET', '/branches/main')).json().head as string;

describe('tags', () => {
  it('create, list, get, delete', async () => {
    const created = await call('dev', 'POST', '/tags', { name: 'v1', ref: 'main' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'v1', commit: await head() });
    await call('dev', 'POST', '/tags', { name: 'v2', ref: 'main' });
    const list = (await call('viewer', 'GET', '/tags')).json();
    expect(list.results.map((t: { name: string }) => t.name)).toEqual(['v1', 'v2']);
    const paged = (await call('viewer', 'GET', '/tags?amount=1&after=v1')).json();
    expect(paged.results.map((t: { name: string }) => t.name)).toEqual(['v2']);
    expect((await call('viewer', 'GET', '/tags/v1')).json().name).toBe('v1');
    expect((await call('dev', 'DELETE', '/tags/v1')).statusCode).toBe(204);
    const gone = await call('viewer', 'GET', '/tags/v1');
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'TagNotFoundError']);
  });

  it('refuses a taken name (409), an unknown ref (404), no name (400), a viewer (403)', async () => {
    await call('dev', 'POST', '/tags', { name: 'v1', ref: 'main' });
    const taken = await call('dev', 'POST', '/tags', { name: 'v1', ref: 'main' });
    expect(taken.statusCode).toBe(409);
    expect((await call('dev', 'POST', '/tags', { name: 'v2', ref: 'nope' })).statusCode).toBe(404);
    expect((await call('dev', 'POST', '/tags', { ref: 'main' })).statusCode).toBe(400);
    const denied = await call('viewer', 'POST', '/tags', { name: 'v3', ref: 'main' });
    expect(denied.statusCode).toBe(403);
    expect((await call('viewer', 'DELETE', '/tags/v1')).statusCode).toBe(403);
    const list = (await call('viewer', 'GET', '/tags')).json();
    expect(list.results.map((t: { name: string }) => t.name)).toEqual(['v1']);
    expect((await call('dev', 'DELETE', '/tags/nope')).statusCode).toBe(404);
  });
});

describe('aliases', () => {
  it('set (create, flip), list, delete — admins only', async () => {
    await call('admin', 'POST', '/branches', { name: 'blue' });
    await call('admin', 'POST', '/branches', { name: 'green' });
    const set = await call('admin', 'POST', '/aliases', { name: 'production', branch: 'blue' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ name: 'production', target: 'blue', previous: null });
    const flip = await call('admin', 'POST', '/aliases', { name: 'production', branch: 'green' });
    expect(flip.json()).toEqual({ name: 'production', target: 'green', previous: 'blue' });
    const denied = await call('dev', 'POST', '/aliases', { name: 'production', branch: 'blue' });
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'PermissionDeniedError']);
    const list = (await call('viewer', 'GET', '/aliases')).json();
    expect(list.results).toMatchObject([{ name: 'production', target: 'green' }]);
    expect((await call('admin', 'POST', '/aliases', { name: 'x' })).statusCode).toBe(400);
    const noBranch = await call('admin', 'POST', '/aliases', { name: 'x', branch: 'nope' });
    expect(noBranch.statusCode).toBe(404);
    expect((await call('dev', 'DELETE', '/aliases/production')).statusCode).toBe(403);
    expect((await call('admin', 'DELETE', '/aliases/production')).statusCode).toBe(204);
    expect((await call('viewer', 'GET', '/aliases')).json().results).toEqual([]);
    expect((await call('admin', 'DELETE', '/aliases/production')).statusCode).toBe(404);
  });
});
