// Runs one script of CLI commands twice — locally on one repository, and with --remote against a
// server of another repository made the same way — and returns both runs, normalised, for a test
// to compare: the remote CLI must print what the local one prints, with the same exit codes.
// What differs by nature between two repositories (commit ids, times, the repository's name and
// directory) is replaced by placeholders numbered in order of appearance.
import { isAbsolute, relative } from 'node:path';
import { ROOT } from './build-once.js';
import { runCli } from './cli.js';

export interface Step {
  args: string[];
  input?: string;
}

export interface StepResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface ParityTarget {
  /** The repository directory (local run). */
  dir: string;
  /** Its server's URL and the key to sign with (remote run). */
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Strings that name this repository (its directory, its name) — replaced by `<repo>`. */
  names: string[];
}

/**
 * A normaliser for one run: ids and times replaced by placeholders numbered in order of first
 * appearance across the whole run (an id printed by step 1 and again by step 5 gets one label),
 * repository names by `<repo>`.
 */
export function normaliser(names: string[]): (text: string) => string {
  const seen = new Map<string, string>();
  // A directory also prints relative to the working directory (check results name their files
  // so): its relative form is a name too, whatever depth the checkout sits at.
  const all = names.flatMap((n) => (isAbsolute(n) ? [n, relative(ROOT, n)] : [n]));
  return (text) => normalise(text, all, seen);
}

function normalise(text: string, names: string[], seen: Map<string, string>): string {
  const label = (kind: string, v: string): string => {
    let l = seen.get(v);
    if (!l) {
      l = `<${kind}${[...seen.values()].filter((x) => x.startsWith(`<${kind}`)).length + 1}>`;
      seen.set(v, l);
    }
    return l;
  };
  let out = text;
  for (const n of [...names].sort((a, b) => b.length - a.length)) out = out.split(n).join('<repo>');
  out = out.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
  out = out.replace(/\b[0-9a-f]{64}\b/g, (v) => label('id', v));
  out = out.replace(/\b[0-9a-f]{12}\b/g, (v) => label('short', v));
  return out;
}

export async function runScript(
  steps: Step[],
  target: ParityTarget,
  mode: 'local' | 'remote',
  cwd?: string,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const norm = normaliser(target.names);
  for (const step of steps) {
    const env: Record<string, string | undefined> =
      mode === 'local'
        ? { SLUICE_REPO: target.dir, SLUICE_REMOTE: undefined }
        : {
            SLUICE_REMOTE: target.url,
            SLUICE_ACCESS_KEY_ID: target.accessKeyId,
            SLUICE_SECRET_ACCESS_KEY: target.secretAccessKey,
            SLUICE_REPO: undefined,
          };
    const r = await runCli(step.args, {
      env,
      ...(cwd ? { cwd } : {}),
      ...(step.input !== undefined ? { input: step.input } : {}),
    });
    results.push({
      args: step.args,
      code: r.code,
      stdout: norm(r.stdout),
      stderr: norm(r.stderr),
    });
  }
  return results;
}
