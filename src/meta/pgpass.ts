// A PostgreSQL password file (`PGPASSFILE`, else `~/.pgpass`), read as libpq reads it: one
// `host:port:database:user:password` per line, `*` matching anything, `\:` and `\\` escaped, the
// first matching line wins, and a file others may read is ignored (libpq refuses it too).
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgPassTarget {
  host: string;
  port: string;
  database: string;
  user: string;
}

/** The password file libpq would read. */
export function pgPassFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (process.platform === 'win32')
    return join(env.APPDATA ?? homedir(), 'postgresql', 'pgpass.conf');
  return join(env.HOME ?? homedir(), '.pgpass');
}

/** The password for `target` in the password file; undefined when none matches or it is unusable. */
export function pgPassLookup(
  target: PgPassTarget,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const file = pgPassFile(env);
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = [target.host, target.port, target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    if (wanted.every((w, i) => fields[i] === '*' || fields[i] === w)) return fields[4];
  }
  return undefined;
}

/** A line's fields: `:` separates, `\` escapes the next character; the password takes the rest. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (ch === ':' && fields.length < 4) {
      fields.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  fields.push(cur);
  return fields;
}
