// `${NAME}` references to environment variables in header values and URLs: checked for syntax
// when the configuration is read (envRefProblems), resolved when a run needs them (resolveHeaders,
// resolveUrl), and their values handed back as secrets to keep out of every message. A missing
// variable is a MissingEnvVarError naming it — never any value.
import { MissingEnvVarError } from './errors.js';

const ENV_REF = /\$\{([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Problems with the `${NAME}` references in a configured value (none: an empty list). */
export function envRefProblems(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(ENV_REF)) {
    if (!ENV_NAME.test(m[1] ?? ''))
      out.push(`\${${m[1]}} is not an environment variable name (letters, digits and _)`);
  }
  if (s.replace(ENV_REF, '').includes('${')) out.push('"$' + '{" without a closing "}"');
  return out;
}

/** `value` with each `${NAME}` reference replaced by `by` (a URL checked with stand-ins). */
export const replaceEnvRefs = (value: string, by: string): string => value.replace(ENV_REF, by);

export type Env = Record<string, string | undefined>;

/**
 * Replaces each `${NAME}` in `value` by the environment variable's value. A variable that is not
 * set is a MissingEnvVarError naming it and `where` — never any value.
 */
export function resolveEnvRefs(value: string, env: Env, where: string): string {
  return value.replace(ENV_REF, (_, name: string) => {
    const v = env[name];
    if (v === undefined)
      throw new MissingEnvVarError(`${where}: the environment variable ${name} is not set`, {
        variable: name,
        where,
      });
    return v;
  });
}

/** The values of the environment variables `value` refers to: what must not be printed. */
function secretsOf(value: string, env: Env): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(ENV_REF)) {
    const v = env[m[1] as string];
    if (v) out.push(v);
  }
  return out;
}

/**
 * Headers with their `${NAME}` references resolved from `env` (default process.env), and the
 * values that came from the environment — the secrets a caller must keep out of messages.
 */
export function resolveHeaders(
  headers: Record<string, string>,
  where: string,
  env: Env = process.env,
): { headers: Record<string, string>; secrets: string[] } {
  const out: Record<string, string> = {};
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    out[name] = resolveEnvRefs(value, env, `${where}: header ${name}`);
    for (const v of secretsOf(value, env)) secrets.add(v);
  }
  return { headers: out, secrets: [...secrets] };
}

/** A URL with its `${NAME}` references resolved, and the values that must not be printed. */
export function resolveUrl(
  url: string,
  where: string,
  env: Env = process.env,
): { url: string; secrets: string[] } {
  return { url: resolveEnvRefs(url, env, `${where}: url`), secrets: secretsOf(url, env) };
}
