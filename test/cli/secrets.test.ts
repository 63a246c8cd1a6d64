// Secrets stay secret: distinctive secrets are planted in every place a credential can be given —
// alert sinks (webhook and Slack: URL query, user info and path, header values, `${ENV}` values),
// a REST ingestor, a gate webhook, the OpenLineage target, the PostgreSQL password of `--meta`,
// the S3 keys — then sends fail against a loopback server that echoes the whole request (URL and
// headers) in a 500 body, and connections fail (a wrong password, a wrong key, the server
// stopped). None of the secrets may appear in any event (`sluice events --json`), in the stdout
// or stderr of any command, or in any file Sluice wrote under the repository directory.
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { type CliResult, runCli, tempDir } from '../support/cli.js';
import { withPg } from '../support/pg-cluster.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

const SECRETS = {
  pgPassword: 'Pg-Planted-Passw0rd-A1',
  pgWrongPassword: 'Pg-Wrong-Passw0rd-B2',
  s3SecretKey: 'S3-Planted-Secret-Key-C3',
  s3WrongAccessKey: 'S3PLANTEDACCESSKEYD4',
  restToken: 'Rest-Header-Token-E5',
  restQueryKey: 'Rest-Query-Key-F6',
  hookToken: 'Hook-Header-Token-G7',
  hookQueryToken: 'Hook-Query-Token-H8',
  hookStaticHeader: 'Hook-Static-Header-I9',
  slackPassword: 'Slack-Userinfo-Pw-J10',
  slackPath: 'Slack-Path-Secret-K11',
  gateQueryToken: 'Gate-Query-Token-L12',
  gateHeader: 'Gate-Header-Value-M13',
  lineageToken: 'Lineage-Header-Token-N14',
  lineageQueryKey: 'Lineage-Query-Key-O15',
};

const root = tempDir('sluice-cli-secrets-');
const repo = join(root, 'lake');
const pg = withPg();
let s3: S3TestServer;
let echo: Server;
let echoBase = '';

/** Answers every request with a 500 whose body is the request: method, URL and headers. */
function startEcho(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echo: { method: req.method, url: req.url, headers: req.headers } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The files the test wrote itself (the user's own configuration and data): not Sluice's. */
const written = new Set<string>();
function write(rel: string, text: string): void {
  writeFileSync(join(repo, rel), text);
  written.add(rel);
}

const outputs: { command: string; text: string }[] = [];

beforeAll(async () => {
  await buildOnce();
  s3 = await startS3Server();
  echo = await startEcho();
  echoBase = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  echo?.closeAllConnections();
  await new Promise((r) => echo?.close(r));
});

/** Every variable the configuration refers to, and the S3 keys. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLUICE_REPO: repo,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SECRETS.s3SecretKey,
    AWS_REGION: s3.region,
    REST_TOKEN: SECRETS.restToken,
    REST_QUERY_KEY: SECRETS.restQueryKey,
    HOOK_TOKEN: SECRETS.hookToken,
    HOOK_QUERY_TOKEN: SECRETS.hookQueryToken,
    SLACK_PW: SECRETS.slackPassword,
    LINEAGE_TOKEN: SECRETS.lineageToken,
    ...extra,
  };
}

async function sluice(args: string[], extra: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { env: env(extra), cwd: repo });
  outputs.push({ command: args.join(' '), text: `${r.stdout}\n${r.stderr}` });
  return r;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out;
}

describe('no secret of any sink or connection string appears anywhere', () => {
  it('in events, command output or files, after failing sends and connections', async () => {
    const pgUrl = await pg.cluster.createPasswordRole('dave', SECRETS.pgPassword);
    const init = await runCli(
      [
        'init',
        repo,
        '--meta',
        pgUrl.replace('dave@', `dave:${SECRETS.pgPassword}@`),
        '--storage',
        `s3://${s3.bucket}/lake`,
        '--s3-endpoint',
        s3.endpoint,
      ],
      { env: env() },
    );
    outputs.push({ command: 'init', text: `${init.stdout}\n${init.stderr}` });
    expect(init.code, init.stderr).toBe(0);

    const port = new URL(echoBase).port;
    write(
      'sluice.yml',
      `name: lake
gates:
  - branch: main
    checks: false
    webhooks:
      - url: ${echoBase}/gate?token=${SECRETS.gateQueryToken}
        headers: {X-Gate-Token: ${SECRETS.gateHeader}}
ingestors:
  - name: api
    kind: rest
    url: "${echoBase}/api?api_key=\${REST_QUERY_KEY}"
    headers: {Authorization: "Bearer \${REST_TOKEN}"}
    records: $.data
    table: api_rows
    retries: 0
  - name: local
    kind: files
    path: exports/rows.csv
    table: rows
    checks: false
alerts:
  - name: ops
    kind: webhook
    url: "${echoBase}/hook?token=\${HOOK_QUERY_TOKEN}"
    headers: {Authorization: "Bearer \${HOOK_TOKEN}", X-Static: ${SECRETS.hookStaticHeader}}
    on: ["*"]
    retries: 0
  - name: chat
    kind: slack
    url: "http://hookuser:\${SLACK_PW}@127.0.0.1:${port}/services/T0/B0/${SECRETS.slackPath}"
    on: ["*"]
    retries: 0
openlineage:
  url: ${echoBase}/lineage?key=${SECRETS.lineageQueryKey}
  headers: {Authorization: "Bearer \${LINEAGE_TOKEN}"}
`,
    );
    write('rows-src.csv', 'id,v\n1,a\n');
    mkdirSync(join(repo, 'exports'));
    write('exports/rows.csv', 'id,v\n1,a\n2,b\n');
    mkdirSync(join(repo, 'models'));
    write('models/m.sql', 'select 1 as x');

    // Failing sends: the REST source, every alert sink, the gate webhook, the lineage target.
    const apiJson = await sluice(['--json', 'load', 'api']);
    expect(apiJson.code, apiJson.stdout).toBe(2);
    expect(apiJson.json.error.code).toBe('SourceFetchError');
    const apiHuman = await sluice(['load', 'api']);
    expect(apiHuman.code).toBe(2);
    const local = await sluice(['--json', 'load', 'local']);
    expect(local.code, local.stdout).not.toBe(0);
    expect(JSON.stringify(local.json)).toContain('webhook');
    expect((await sluice(['branch', 'create', 'feature'])).code).toBe(0);
    const ingest = await sluice([
      'ingest',
      join(repo, 'rows-src.csv'),
      '--table',
      'f',
      '-b',
      'feature',
      '--commit',
      '-m',
      'f',
    ]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const mergeJson = await sluice(['--json', 'merge', 'feature', '--into', 'main']);
    expect(mergeJson.json?.error?.code, mergeJson.stdout).toBe('GateFailedError');
    const mergeHuman = await sluice(['merge', 'feature', '--into', 'main']);
    expect(mergeHuman.stderr).toContain('webhook');
    const build = await sluice(['build', '-b', 'feature']);
    expect(`${build.stdout}${build.stderr}`).toContain('OpenLineage');
    expect((await sluice(['--json', 'build', '-b', 'feature'])).code).toBeDefined();

    // Failing connections: a wrong PostgreSQL password, a wrong S3 key, PostgreSQL stopped.
    const wrongPg = await sluice(['--json', 'branch', 'list'], {
      PGPASSWORD: SECRETS.pgWrongPassword,
    });
    expect(wrongPg.code).not.toBe(0); // outages.test.ts checks which error it is
    const wrongS3 = await sluice(
      ['--json', 'cat', 'tables/rows/_sluice_table.json', '--ref', 'feature'],
      {
        AWS_ACCESS_KEY_ID: SECRETS.s3WrongAccessKey,
      },
    );
    expect(wrongS3.code, wrongS3.stdout).not.toBe(0);
    await pg.cluster.halt();
    try {
      const down = await sluice(['log']);
      expect(down.stderr).toContain('error: ');
    } finally {
      await pg.cluster.resume();
    }

    // Connection strings given to init that cannot be used are refused without their secrets.
    const unreachable = await sluice([
      '--json',
      'init',
      join(root, 'elsewhere'),
      '--meta',
      `postgres://dave:${SECRETS.pgPassword}@127.0.0.1:1/dave`,
    ]);
    expect(unreachable.json?.error?.code, unreachable.stdout).toBe('MetaStoreUnavailableError');
    const endpoint = await sluice([
      'init',
      join(root, 'elsewhere'),
      '--storage',
      `s3://${s3.bucket}/x`,
      '--s3-endpoint',
      `http://${SECRETS.s3WrongAccessKey}:${SECRETS.s3SecretKey}@127.0.0.1:1`,
    ]);
    expect(endpoint.stderr).toContain('--s3-endpoint must not hold credentials');

    // Every event, in full.
    const events = await sluice(['--json', 'events']);
    expect(events.code, events.stdout).toBe(0);
    const alertEvents = (events.json.events as { type: string; reason?: string }[]).filter(
      (e) => e.type === 'alert',
    );
    // The sinks were tried (and failed), so their reasons are there to be checked.
    expect(alertEvents.length).toBeGreaterThan(0);
    expect(alertEvents.some((e) => (e.reason ?? '').includes('HTTP 500'))).toBe(true);
    const humanEvents = await sluice(['events']);
    expect(humanEvents.code).toBe(0);

    // Nothing anywhere: events, every command's output, every file Sluice wrote.
    const leaks: string[] = [];
    for (const { command, text } of outputs) {
      for (const [name, secret] of Object.entries(SECRETS))
        if (text.includes(secret)) leaks.push(`output of \`${command}\`: ${name}`);
    }
    for (const file of filesUnder(repo)) {
      if (written.has(file) || file === '.sluice/credentials') continue;
      const bytes = readFileSync(join(repo, file));
      for (const [name, secret] of Object.entries(SECRETS))
        if (bytes.includes(secret)) leaks.push(`${file}: ${name}`);
    }
    expect(leaks).toEqual([]);

    // The password is in the credentials file only, which only its owner may read; the config
    // file (which may name hosts) is private too.
    const config = readFileSync(join(repo, '.sluice/config.json'), 'utf8');
    expect(JSON.parse(config).meta).toBe(pgUrl);
    for (const f of ['.sluice/config.json', '.sluice/credentials'])
      expect((statSync(join(repo, f)).mode & 0o777).toString(8), f).toBe('600');
    expect(readFileSync(join(repo, '.sluice/credentials'), 'utf8')).toContain(SECRETS.pgPassword);
  }, 300_000);

  it('a config.json that holds the password (an older Sluice) has it moved out on first open', async () => {
    const password = 'Pg-Older-Config-Pw-P16';
    const url = await pg.cluster.createPasswordRole('erin', password);
    const old = join(root, 'older');
    const init = await runCli(['init', old, '--meta', url.replace('erin@', `erin:${password}@`)]);
    expect(init.code, init.stderr).toBe(0);
    // As a Sluice before the credentials file wrote it: the password in the URL, mode 644.
    const configFile = join(old, '.sluice/config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, meta: url.replace('erin@', `erin:${password}@`) }),
    );
    chmodSync(configFile, 0o644);
    rmSync(join(old, '.sluice/credentials'));

    const first = await runCli(['--json', 'branch', 'list', '--repo', old]);
    expect(first.code, first.stdout).toBe(0);
    expect(readFileSync(configFile, 'utf8')).not.toContain(password);
    expect(JSON.parse(readFileSync(configFile, 'utf8')).meta).toBe(url);
    const credentials = join(old, '.sluice/credentials');
    expect(readFileSync(credentials, 'utf8')).toContain(password);
    for (const f of [configFile, credentials])
      expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
    // And the repository still opens, with the password from the credentials file.
    const again = await runCli(['--json', 'log', '--repo', old]);
    expect(again.code, again.stdout).toBe(0);
  }, 60_000);
});
