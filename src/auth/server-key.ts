// The server key: 32 random bytes every secret of the server is derived from (the key that seals
// access key secrets, the key that signs session tokens — HKDF with one purpose each, so no key
// serves two uses). It comes from $SLUICE_SERVER_KEY (base64) or from `.sluice/server.key` in the
// repository's directory (base64, mode 600, created by `sluice auth bootstrap`). Replicas of one
// repository must share it: set the same $SLUICE_SERVER_KEY on each, or copy the file (mode 600)
// to each replica's directory. Losing it makes every stored access key secret unreadable (the
// keys must then be created again); it is never logged, printed or stored in the database.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from '../api/credentials.js';
import { SLUICE_DIR } from '../api/repo-config.js';
import { InvalidConfigError } from '../common/errors.js';

export const SERVER_KEY_ENV = 'SLUICE_SERVER_KEY';
export const SERVER_KEY_FILE = 'server.key';
const KEY_BYTES = 32;
/** HKDF salt: fixed, so one server key derives the same keys on every replica. */
const SALT = Buffer.from('sluice-server-key/v1');

/** What a derived key is for: one purpose, one key. */
export type KeyPurpose = 'access-key-secret' | 'session';

/**
 * The key bytes, kept out of reach of logs: JSON, `util.inspect` and string conversion show
 * `[server key]`, never the bytes.
 */
export class ServerKey {
  readonly #bytes: Buffer;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) {
      throw new InvalidConfigError(`the server key must be ${KEY_BYTES} bytes`, {
        file: SERVER_KEY_ENV,
        reason: `${bytes.length} bytes instead of ${KEY_BYTES}`,
      });
    }
    this.#bytes = Buffer.from(bytes);
  }

  static generate(): ServerKey {
    return new ServerKey(randomBytes(KEY_BYTES));
  }

  /** The 32-byte key for `purpose` (HKDF-SHA256). */
  derive(purpose: KeyPurpose): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#bytes, SALT, purpose, KEY_BYTES));
  }

  /** Base64, for writing the key file; nothing else should call this. */
  exportBase64(): string {
    return this.#bytes.toString('base64');
  }

  toJSON(): string {
    return '[server key]';
  }
  toString(): string {
    return '[server key]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[server key]';
  }
}

/** `<repoDir>/.sluice/server.key`. */
export function serverKeyPath(repoDir: string): string {
  return join(repoDir, SLUICE_DIR, SERVER_KEY_FILE);
}

function decode(text: string, where: string): ServerKey {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || bytes.length !== KEY_BYTES) {
    throw new InvalidConfigError(`${where}: not a base64 server key of ${KEY_BYTES} bytes`, {
      file: where,
      reason: `expected ${KEY_BYTES} bytes in base64`,
    });
  }
  return new ServerKey(bytes);
}

function readKeyFile(file: string): ServerKey {
  const mode = statSync(file).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new InvalidConfigError(
      `${file} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
      { file, reason: 'readable by group or others' },
    );
  }
  return decode(readFileSync(file, 'utf8'), file);
}

/** The server key from $SLUICE_SERVER_KEY, else `<repoDir>/.sluice/server.key`; undefined if neither. */
export function loadServerKey(
  repoDir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ServerKey | undefined {
  const fromEnv = env[SERVER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return decode(fromEnv, SERVER_KEY_ENV);
  if (repoDir === undefined) return undefined;
  const file = serverKeyPath(repoDir);
  return existsSync(file) ? readKeyFile(file) : undefined;
}

/** Like loadServerKey, but a missing key is an error that says how to make one. */
export function requireServerKey(
  repoDir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ServerKey {
  const key = loadServerKey(repoDir, env);
  if (key) return key;
  const file = repoDir === undefined ? SERVER_KEY_FILE : serverKeyPath(repoDir);
  throw new InvalidConfigError(
    `no server key: set ${SERVER_KEY_ENV} or run \`sluice auth bootstrap\` (creates ${file})`,
    { file, reason: 'missing' },
  );
}

/**
 * The server key, creating `<repoDir>/.sluice/server.key` (mode 600) when neither the variable nor
 * the file gives one.
 */
export function ensureServerKey(repoDir: string, env: NodeJS.ProcessEnv = process.env): ServerKey {
  const existing = loadServerKey(repoDir, env);
  if (existing) return existing;
  const key = ServerKey.generate();
  mkdirSync(join(repoDir, SLUICE_DIR), { recursive: true });
  writePrivateFile(serverKeyPath(repoDir), `${key.exportBase64()}\n`);
  return key;
}
