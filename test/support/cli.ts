// Runs the built CLI (`node bin/sluice.js …`) as a child process, the way users run it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build-once.js';

const BIN = join(ROOT, 'bin', 'sluice.js');

export interface CliResult {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  /** stdout parsed as JSON, when it is JSON (commands run with --json). */
  // biome-ignore lint/suspicious/noExplicitAny: test convenience for reading JSON documents
  json?: any;
}

export interface RunOptions {
  cwd?: string;
  /** Added to the environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  input?: string | Uint8Array;
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, SLUICE_USER: 'tester' };
  delete env.SLUICE_REPO;
  Object.assign(env, opts.env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env,
      stdio: 'pipe',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      const stdout = stdoutBytes.toString('utf8');
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout,
        stdoutBytes,
        stderr: Buffer.concat(err).toString('utf8'),
        json,
      });
    });
    child.stdin.end(opts.input);
  });
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'sluice-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** runCli bound to one repository (through $SLUICE_REPO). */
export function cliFor(repo: string): (args: string[], opts?: RunOptions) => Promise<CliResult> {
  return (args, opts = {}) => runCli(args, { ...opts, env: { SLUICE_REPO: repo, ...opts.env } });
}
