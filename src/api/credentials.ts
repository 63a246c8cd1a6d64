// The repository's credentials file, `.sluice/credentials`: what `sluice init` was given that must
// not be written to `.sluice/config.json` — today the PostgreSQL password of `--meta
// postgres://user:password@…`. Mode 600, as every file that may hold a credential is written
// (writePrivateFile); one that others may read is refused, as ssh refuses a private key, and no
// error quotes its content.
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { InvalidConfigError } from '../common/errors.js';

export const CREDENTIALS_FILE = 'credentials';

const CredentialsSchema = z
  .object({
    version: z.literal(1),
    /** The MetaStore's password (PostgreSQL), used when PGPASSWORD is not set. */
    meta: z.object({ password: z.string() }).strict().optional(),
  })
  .strict();
export type RepoCredentials = z.infer<typeof CredentialsSchema>;

/**
 * Writes `text` to `file` readable by its owner only (mode 600, also when it existed), whole: a
 * temporary file renamed over it, so a process reading it meanwhile sees the old text or the new.
 */
export function writePrivateFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes the credentials file in `sluiceDir`. */
export function writeCredentials(sluiceDir: string, creds: RepoCredentials): void {
  writePrivateFile(join(sluiceDir, CREDENTIALS_FILE), `${JSON.stringify(creds, null, 2)}\n`);
}

/** The credentials file in `sluiceDir`; undefined when there is none. */
export function readCredentials(sluiceDir: string): RepoCredentials | undefined {
  const file = join(sluiceDir, CREDENTIALS_FILE);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return undefined;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new InvalidConfigError(
      `${file} may be read by others (mode ${(mode & 0o777).toString(8)}): run chmod 600 on it`,
      { file, reason: 'readable by others' },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new InvalidConfigError(`${file} is not valid JSON`, { file, reason: 'unreadable' });
  }
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || '(root)';
    // zod's message may quote the value it refused: name the field only.
    throw new InvalidConfigError(`${file}: ${where} is not valid`, {
      file,
      reason: `${where}: invalid`,
    });
  }
  return parsed.data;
}
