import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../common/errors.js';
import {
  ensureServerKey,
  loadServerKey,
  requireServerKey,
  ServerKey,
  serverKeyPath,
} from './server-key.js';

describe('server key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-server-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ensureServerKey creates the file once (mode 600); loads read it back', () => {
    expect(loadServerKey(dir, {})).toBeUndefined();
    expect(() => requireServerKey(dir, {})).toThrow(InvalidConfigError);
    const made = ensureServerKey(dir, {});
    const file = serverKeyPath(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(ensureServerKey(dir, {}).exportBase64()).toBe(made.exportBase64());
    expect(requireServerKey(dir, {}).exportBase64()).toBe(made.exportBase64());
  });

  it('$SLUICE_SERVER_KEY wins over the file; a bad value is refused without quoting it', () => {
    ensureServerKey(dir, {});
    const other = ServerKey.generate();
    const env = { SLUICE_SERVER_KEY: other.exportBase64() };
    expect(loadServerKey(dir, env)?.exportBase64()).toBe(other.exportBase64());
    expect(ensureServerKey(dir, env).exportBase64()).toBe(other.exportBase64());
    const bad = 'c2hvcnQ=';
    let caught: unknown;
    try {
      loadServerKey(dir, { SLUICE_SERVER_KEY: bad });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidConfigError);
    expect((caught as Error).message).not.toContain(bad);
  });

  it('refuses a key file others can read, and one that is not a key', () => {
    ensureServerKey(dir, {});
    const file = serverKeyPath(dir);
    chmodSync(file, 0o644);
    expect(() => loadServerKey(dir, {})).toThrow(/readable by others/);
    writeFileSync(file, 'not a key\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    expect(() => loadServerKey(dir, {})).toThrow(InvalidConfigError);
  });
});
