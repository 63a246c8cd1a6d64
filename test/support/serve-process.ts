// `sluice serve` as a child process (the built CLI, as users run it): started on a free port,
// ready once it prints its `listening on URL` line; its JSON log (stdout) and its lines for the
// operator (stderr) kept for the test to read; stopped by a signal, resolving with its exit code.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './build-once.js';

const BIN = join(ROOT, 'bin', 'sluice.js');

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface ServeProcessOptions {
  cwd?: string;
  /** Added to the environment; undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

export function startServeProcess(
  args: string[],
  opts: ServeProcessOptions = {},
): Promise<ServeProcess> {
  const env: Record<string, string | undefined> = { ...process.env, SLUICE_USER: 'server' };
  delete env.SLUICE_REPO;
  Object.assign(env, opts.env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = /^listening on (\S+)$/m.exec(err);
      if (m)
        resolve({
          url: m[1] as string,
          child,
          stdout: () => out,
          stderr: () => err,
          exited,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
    });
    child.once('error', reject);
    void exited.then((code) =>
      reject(new Error(`sluice serve exited (${code}) before listening:\n${err}\n${out}`)),
    );
  });
}
