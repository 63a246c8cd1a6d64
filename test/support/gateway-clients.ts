// What the real-client tests of the S3 gateway share: a server started as `sluice serve` runs it
// (the real identity layer: a server key, `auth bootstrap`'s admin, a Developers user with its
// own access key) over a fresh repository `lake` — branches dev and release (release protected by
// a gate), tag v1, alias production → release — listening on 127.0.0.1; the environments that
// point the AWS CLI, boto3 and rclone at it with nothing of this machine's configuration leaking
// in; and file-tree helpers to compare what went up with what came down.
//
// A missing client binary skips its tests locally (loudly) but fails them in CI, where .ci/run
// installs Debian's packages.
import { type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Identities, ServerKey } from '../../src/auth/index.js';
import { initRepository, type Repository } from '../../src/index.js';
import { RepositoryHost } from '../../src/internal.js';
import { buildServer } from '../../src/server/app.js';
import type { GatewayOptions } from '../../src/server/gateway/index.js';

export const AWS = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';
export const RCLONE = '/usr/bin/rclone';

export const REPOSITORY = 'lake';
/** sluice.yml of the test repository: `release` is protected (writes go through a merge). */
const SLUICE_YML = 'gates:\n  - branch: release\n';

export interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface GatewayUnderTest {
  /** `http://127.0.0.1:PORT`: the REST API and the S3 gateway. */
  url: string;
  host: RepositoryHost;
  /** A Developers user's key: writes to unprotected branches. */
  key: Key;
  admin: Key;
  /** A fresh temp directory for the test's files, removed by close(). */
  tmp: string;
  repo(): Promise<Repository>;
  close(): Promise<void>;
}

/** Starts a server over a fresh repository (see the top of this file). */
export async function startGateway(gateway: GatewayOptions = {}): Promise<GatewayUnderTest> {
  const tmp = mkdtempSync(join(tmpdir(), 'sluice-gw-clients-'));
  const root = join(tmp, 'repo');
  const init = await initRepository(root, { committer: 'setup', name: REPOSITORY });
  try {
    await init.putObject('main', 'seed/readme.txt', Buffer.from('seeded\n'));
    await init.commit('main', { message: 'seed' });
    await init.createBranch('dev');
    await init.createBranch('release');
    await init.createTag('v1', 'main');
    await init.setAlias('production', 'release');
  } finally {
    await init.close();
  }
  writeFileSync(join(root, 'sluice.yml'), SLUICE_YML);
  const host = await RepositoryHost.open(root, { committer: 'setup' });
  const ids = new Identities(host.meta, ServerKey.generate());
  const admin = await ids.bootstrap();
  await ids.createUser('writer', { groups: ['Developers'] });
  const key = await ids.createAccessKey('writer');
  const app = await buildServer({
    host,
    auth: ids,
    logger: false,
    processMetrics: false,
    gateway,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host,
    key: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    admin: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey },
    tmp,
    repo: () => host.get(REPOSITORY),
    async close() {
      await app.close();
      await host.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Whether a client binary (and, for Python, boto3) is here. Missing in CI is an error — .ci/run
 * installs them — so the tests can never pass by not running; locally it skips, saying so.
 */
export function hasClient(name: 'aws' | 'boto3' | 'rclone'): boolean {
  const probe =
    name === 'aws'
      ? spawnSync(AWS, ['--version'])
      : name === 'rclone'
        ? spawnSync(RCLONE, ['version'])
        : spawnSync(PYTHON, ['-c', 'import boto3']);
  if (probe.status === 0) return true;
  const install = { aws: 'awscli', boto3: 'python3-boto3', rclone: 'rclone' }[name];
  if (process.env.CI === 'true')
    throw new Error(`${name} is missing: .ci/run installs Debian's ${install}; CI needs it`);
  process.stderr.write(
    `\n*** SKIPPING the ${name} gateway tests: not installed (apt-get install ${install}) ***\n\n`,
  );
  return false;
}

export interface ToolResult {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/** Runs a client to its end; never throws for a non-zero exit (tests look at the code). */
export function runTool(
  cmd: string,
  args: string[],
  opts: { env: Record<string, string>; input?: string; cwd?: string },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = { env: opts.env, stdio: 'pipe' };
    if (opts.cwd !== undefined) spawnOpts.cwd = opts.cwd;
    const child = spawn(cmd, args, spawnOpts);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin?.end(opts.input ?? '');
  });
}

/** A HOME of the client's own: no ~/.aws, ~/.config/rclone or pip user site of this machine. */
function homeOf(gw: GatewayUnderTest, name: string): string {
  const home = join(gw.tmp, `home-${name}`);
  mkdirSync(home, { recursive: true });
  return home;
}

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

/** The AWS CLI's environment: the key, path-style addressing, nothing else of this machine. */
export function awsEnv(gw: GatewayUnderTest, key: Key = gw.key): Record<string, string> {
  const home = homeOf(gw, 'aws');
  const config = join(home, 'config');
  writeFileSync(config, '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n');
  return {
    PATH: BASE_PATH,
    HOME: home,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}

/** `aws --endpoint-url URL ARGS…` */
export function aws(gw: GatewayUnderTest, args: string[], key?: Key): Promise<ToolResult> {
  return runTool(AWS, ['--endpoint-url', gw.url, ...args], { env: awsEnv(gw, key) });
}

/** rclone's remote `sluice:` through the environment only (RCLONE_CONFIG=/dev/null). */
export function rcloneEnv(gw: GatewayUnderTest, key: Key = gw.key): Record<string, string> {
  return {
    PATH: BASE_PATH,
    HOME: homeOf(gw, 'rclone'),
    RCLONE_CONFIG: '/dev/null',
    RCLONE_CONFIG_SLUICE_TYPE: 's3',
    RCLONE_CONFIG_SLUICE_PROVIDER: 'Other',
    RCLONE_CONFIG_SLUICE_ENDPOINT: gw.url,
    RCLONE_CONFIG_SLUICE_ACCESS_KEY_ID: key.accessKeyId,
    RCLONE_CONFIG_SLUICE_SECRET_ACCESS_KEY: key.secretAccessKey,
    RCLONE_CONFIG_SLUICE_REGION: 'us-east-1',
    RCLONE_CONFIG_SLUICE_FORCE_PATH_STYLE: 'true',
    // rclone's copyto first sends CreateBucket (PUT /lake), which the gateway answers
    // NotImplemented; real S3 says BucketAlreadyOwnedByYou, which rclone would ignore.
  };
}

export function rclone(gw: GatewayUnderTest, args: string[], key?: Key): Promise<ToolResult> {
  return runTool(RCLONE, args, { env: rcloneEnv(gw, key) });
}

/** Runs a Python script with boto3 pointed at the gateway (`s3` in the script's globals). */
export function boto3(
  gw: GatewayUnderTest,
  script: string,
  args: string[] = [],
  key: Key = gw.key,
): Promise<ToolResult> {
  const prelude = [
    'import sys, json, boto3',
    'from botocore.config import Config',
    's3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1",',
    '    aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3],',
    '    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))',
    'argv = sys.argv[4:]',
  ].join('\n');
  return runTool(
    PYTHON,
    ['-c', `${prelude}\n${script}`, gw.url, key.accessKeyId, key.secretAccessKey, ...args],
    {
      env: {
        PATH: BASE_PATH,
        HOME: homeOf(gw, 'boto3'),
        PYTHONNOUSERSITE: '1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    },
  );
}

// ---- files ---------------------------------------------------------------------------------------

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** A file of `size` random bytes; returns its SHA-256. */
export function randomFile(path: string, size: number): string {
  const bytes = randomBytes(size);
  writeFileSync(path, bytes);
  return sha256(bytes);
}

/** ~`count` files of a few bytes to a few KiB, three levels deep, with spaces and odd characters. */
export function makeTree(dir: string, count = 50): void {
  for (let i = 0; i < count; i++) {
    const sub = join(
      dir,
      `d${i % 3}`,
      i % 2 === 0 ? `sub ${i % 5}` : 'x+y',
      i % 7 === 0 ? 'deep' : '',
    );
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f-${i}.bin`), randomBytes(1 + ((i * 397) % 4000)));
  }
}

/** Every file under `dir`: relative path → SHA-256. */
export function treeOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out[relative(dir, p)] = sha256(readFileSync(p));
    }
  };
  visit(dir);
  return out;
}

/** What `ref` holds under `prefix` (committed or, on a branch, staged): path → SHA-256. */
export async function storedTree(
  repo: Repository,
  ref: string,
  prefix: string,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const item of repo.list(ref, { prefix })) {
    if (item.type !== 'object') continue;
    out[item.entry.path.slice(prefix.length)] = item.entry.checksum;
  }
  return out;
}
