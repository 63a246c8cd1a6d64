// The access key the remote CLI signs with: $SLUICE_ACCESS_KEY_ID and $SLUICE_SECRET_ACCESS_KEY,
// else `~/.sluice/credentials` — INI like the AWS CLI's, a `[default]` profile or the one
// $SLUICE_PROFILE names:
//
//   [default]
//   access_key_id = SLK…
//   secret_access_key = …
//
// A file others may read is refused, as ssh refuses such a key.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidConfigError, UnauthenticatedError } from '../../index.js';

export interface RemoteCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Profile {
  accessKeyId?: string;
  secretAccessKey?: string;
  remote?: string;
}

export function credentialsFile(): string {
  return process.env.SLUICE_CREDENTIALS_FILE ?? join(homedir(), '.sluice', 'credentials');
}

/** Parses the INI text; the profile named `name`, or undefined. */
export function parseProfile(text: string, name: string): Profile | undefined {
  let current: string | undefined;
  let found: Profile | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = section[1]?.trim();
      if (current === name) found ??= {};
      continue;
    }
    if (current !== name || !found) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'access_key_id') found.accessKeyId = value;
    else if (key === 'secret_access_key') found.secretAccessKey = value;
    else if (key === 'remote') found.remote = value;
  }
  return found;
}

/** The profile of the credentials file, if the file exists (refused when others may read it). */
export function readProfile(): Profile | undefined {
  const file = credentialsFile();
  let text: string;
  try {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      throw new InvalidConfigError(
        `${file} may be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}`,
        { file, reason: 'readable by others' },
      );
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseProfile(text, process.env.SLUICE_PROFILE ?? 'default');
}

/** The key: the environment's, else the file's; UnauthenticatedError when neither has one. */
export function remoteCredentials(profile = readProfile()): RemoteCredentials {
  const id = process.env.SLUICE_ACCESS_KEY_ID;
  const secret = process.env.SLUICE_SECRET_ACCESS_KEY;
  if (id && secret) return { accessKeyId: id, secretAccessKey: secret };
  if (profile?.accessKeyId && profile.secretAccessKey)
    return { accessKeyId: profile.accessKeyId, secretAccessKey: profile.secretAccessKey };
  throw new UnauthenticatedError(
    `no access key for the server: set SLUICE_ACCESS_KEY_ID and SLUICE_SECRET_ACCESS_KEY, or write them to ${credentialsFile()}`,
    { reason: 'no credentials' },
  );
}
