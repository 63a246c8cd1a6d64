import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SealedSecretError } from '../common/errors.js';
import { openSecret, sealSecret } from './secret-box.js';
import { ServerKey } from './server-key.js';

describe('secret box', () => {
  const key = ServerKey.generate();
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

  it('round-trips, with a fresh iv each time and no plain text in the sealed form', () => {
    const a = sealSecret(key, secret, 'SLKAAAA');
    const b = sealSecret(key, secret, 'SLKAAAA');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(openSecret(key, a, 'SLKAAAA')).toBe(secret);
    expect(openSecret(key, b, 'SLKAAAA')).toBe(secret);
  });

  it('refuses an altered text, another key, another context — without the secret in the error', () => {
    const sealed = sealSecret(key, secret, 'SLKAAAA');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    const tampered = `v1:${raw.toString('base64')}`;
    const attempts = [
      () => openSecret(key, tampered, 'SLKAAAA'),
      () => openSecret(ServerKey.generate(), sealed, 'SLKAAAA'),
      () => openSecret(key, sealed, 'SLKBBBB'),
      () => openSecret(key, 'v2:abc', 'SLKAAAA'),
      () => openSecret(key, 'v1:', 'SLKAAAA'),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(SealedSecretError);
      expect(
        JSON.stringify({ m: (caught as Error).message, d: (caught as SealedSecretError).data }),
      ).not.toContain(secret);
    }
  });

  it('derives one key per purpose and never prints the server key', () => {
    expect(key.derive('session').equals(key.derive('access-key-secret'))).toBe(false);
    const shown = [JSON.stringify({ key }), String(key), inspect(key)];
    for (const s of shown) expect(s).not.toContain(key.exportBase64());
  });
});
