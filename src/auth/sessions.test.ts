import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../common/errors.js';
import { ServerKey } from './server-key.js';
import { issueSessionToken, verifySessionToken } from './sessions.js';

describe('session tokens', () => {
  const key = ServerKey.generate();
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('name their user until they expire (one hour by default)', async () => {
    const token = await issueSessionToken(key, 'ana', { now: t0 });
    expect(await verifySessionToken(key, token, { now: at(3599) })).toBe('ana');
    const late = verifySessionToken(key, token, { now: at(3601) });
    await expect(late).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(late).rejects.toMatchObject({ data: { reason: 'session expired' } });
    const short = await issueSessionToken(key, 'ana', { now: t0, ttlSeconds: 60 });
    await expect(verifySessionToken(key, short, { now: at(61) })).rejects.toBeInstanceOf(
      UnauthenticatedError,
    );
  });

  it('refuse another server key, an altered token and garbage', async () => {
    const token = await issueSessionToken(key, 'ana', { now: t0 });
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', iss: 'sluice', exp: 9e9 })).toString('base64url')}.${s}`;
    for (const [k, t] of [
      [ServerKey.generate(), token],
      [key, forged],
      [key, `${h}.${p}.${s?.slice(0, -2)}AA`],
      [key, 'not-a-token'],
    ] as const) {
      await expect(verifySessionToken(k, t, { now: at(1) })).rejects.toMatchObject({
        code: 'UnauthenticatedError',
        data: { reason: 'invalid session token' },
      });
    }
  });
});
