// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp dir, start on a
// free port, hand out databases, and tear everything down — also when the test process dies.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const run = promisify(execFile);

export interface PgClusterOptions {
  /** Durable commits (benchmarks); tests default to fsync off. */
  fsync?: boolean;
  /**
   * Acknowledge a commit only once its WAL is written (to the kernel, or to disk with `fsync`):
   * for tests that stop the server with `halt()` and then look for every acknowledged commit.
   * Tests default to off (asynchronous commit), which a halt may undo.
   */
  synchronousCommit?: boolean;
  /** Name of the database created up front (default "sluice"). */
  database?: string;
}

export interface PgCluster {
  /** URL of the database created up front. */
  url: string;
  port: number;
  /** Creates another empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * A role that must give its password (scram-sha-256 on 127.0.0.1), owning a new database of
   * the same name; returns that database's URL without the password.
   */
  createPasswordRole(name: string, password: string): Promise<string>;
  /** Stops the server at once (an outage), keeping its files: `resume()` starts it again. */
  halt(): Promise<void>;
  /** Starts the server `halt()` stopped, on the same port. */
  resume(): Promise<void>;
  /** Stops the server immediately and removes its files. */
  stop(): Promise<void>;
}

export async function startPgCluster(opts: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the postgres user, which must be able to
  // reach the directory (hence /tmp, mode 0755, owned by postgres).
  const base = mkdtempSync('/tmp/sluice-pg-');
  chmodSync(base, 0o755);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(base, uid, gid);
  }
  const data = join(base, 'data');
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const [file, argv] = command(tool, args);
    try {
      await run(file, argv, { cwd: base });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`${tool} failed: ${stderr || String(err)}`, { cause: err });
    }
  };
  const stopSync = (): void => {
    try {
      const [file, argv] = command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      execFileSync(file, argv, { cwd: base, stdio: 'ignore' });
    } catch {
      // not running
    }
    rmSync(base, { recursive: true, force: true });
  };

  let port = 0;
  let watchdog: number | undefined;
  const fsync = opts.fsync ? 'on' : 'off';
  const startServer = async (): Promise<void> => {
    const serverOpts = [
      `-p ${port} -k ${base} -c listen_addresses=127.0.0.1`,
      `-c fsync=${fsync} -c max_connections=200`,
      opts.fsync ? '' : '-c full_page_writes=off',
      opts.fsync || opts.synchronousCommit ? '' : '-c synchronous_commit=off',
    ].join(' ');
    const log = join(base, 'server.log');
    await exec('pg_ctl', ['-D', data, '-l', log, '-o', serverOpts, '-w', '-t', '60', 'start']);
  };
  try {
    const initArgs = ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
    await exec('initdb', [...initArgs, '--locale=C']);
    // A free port can be taken between probing and binding: retry a few times.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await startServer();
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
    watchdog = startWatchdog(command('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), base);
  } catch (err) {
    stopSync();
    throw err;
  }

  const onExit = (): void => stopSync();
  process.on('exit', onExit);
  let stopped = false;
  const urlOf = (db: string): string => `postgres://postgres@127.0.0.1:${port}/${db}`;
  const createDatabase = async (name: string): Promise<string> => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      await client.query(`create database "${name.replaceAll('"', '""')}"`);
    } finally {
      await client.end();
    }
    return urlOf(name);
  };
  const createPasswordRole = async (name: string, password: string): Promise<string> => {
    // The first matching line of pg_hba.conf wins: this role must give its password.
    const hba = join(data, 'pg_hba.conf');
    writeFileSync(
      hba,
      `host all "${name}" 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`,
    );
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: urlOf('postgres') });
    await client.connect();
    try {
      const role = `"${name.replaceAll('"', '""')}"`;
      await client.query(`create role ${role} login password '${password.replaceAll("'", "''")}'`);
      await client.query(`create database ${role} owner ${role}`);
      await client.query('select pg_reload_conf()');
    } finally {
      await client.end();
    }
    return `postgres://${encodeURIComponent(name)}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
  };
  const database = opts.database ?? 'sluice';
  const cluster: PgCluster = {
    url: urlOf(database),
    port,
    createDatabase,
    createPasswordRole,
    async halt() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    },
    async resume() {
      await startServer();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      if (watchdog !== undefined) {
        try {
          process.kill(watchdog);
        } catch {
          // already gone
        }
      }
      stopSync();
    },
  };
  try {
    await createDatabase(database);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Starts a cluster before the file's tests and stops it after them. */
export function withPg(opts: PgClusterOptions = {}): { readonly cluster: PgCluster } {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster(opts);
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return {
    get cluster(): PgCluster {
      if (!cluster) throw new Error('PostgreSQL cluster not started (use inside tests)');
      return cluster;
    },
  };
}

function findBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config
  }
  candidates.push('/usr/lib/postgresql/15/bin');
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  const found = candidates.find(
    (d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')),
  );
  if (!found) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

// A detached process that stops the server once this process is gone, however it died
// (a crashed or killed test worker never runs its 'exit' handlers).
function startWatchdog(stop: [string, string[]], base: string): number | undefined {
  const script = `
    const { execFileSync } = require('node:child_process');
    const { rmSync } = require('node:fs');
    const [parent, file, argv, base] = [Number(process.argv[1]), process.argv[2], JSON.parse(process.argv[3]), process.argv[4]];
    setInterval(() => {
      try { process.kill(parent, 0); return; } catch {}
      try { execFileSync(file, argv, { stdio: 'ignore', cwd: '/' }); } catch {}
      rmSync(base, { recursive: true, force: true });
      process.exit(0);
    }, 1000);`;
  const child = spawn(
    process.execPath,
    ['-e', script, String(process.pid), stop[0], JSON.stringify(stop[1]), base],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  return child.pid;
}
