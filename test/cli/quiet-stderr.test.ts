// Nothing but a command's own output reaches the terminal: on an embedded repository no library
// (DuckDB, the AWS SDK, Node itself) prints a warning on stderr, and a successful command under
// --json leaves stderr empty. On an S3 repository the AWS SDK is loaded, and its Node.js-version
// notice is turned off by bin/sluice.js with the SDK's own switch — unless the user set it.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';
import { type S3TestServer, startS3Server } from '../support/s3-server.js';

/** What a library or Node prints when it warns (never a command's own words). */
const LIBRARY_NOISE = /Warning|\(node:\d*\)|DeprecationWarning|ExperimentalWarning/;

const root = tempDir('sluice-cli-stderr-');

beforeAll(async () => {
  await buildOnce();
  for (const mode of ['human', 'json'])
    cpSync(join(import.meta.dirname, '../../examples/shop'), join(root, mode), { recursive: true });
  writeFileSync(join(root, 'people.csv'), 'id,name\n1,ada\n2,grace\n');
  writeFileSync(join(root, 'note.txt'), 'hello\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The command lines, in order (each builds on the last), as a user would run them. */
const steps = (dir: string): string[][] => [
  ['init', dir],
  ['put', join(root, 'note.txt'), 'notes/note.txt'],
  ['commit', '-m', 'a note'],
  ['branch', 'list'],
  ['branch', 'create', 'dev'],
  ['log', '--oneline'],
  ['ingest', join(root, 'people.csv'), '--table', 'people', '-m', 'people'],
  ['sql', 'SELECT count(*) AS n FROM people'],
  ['build', '-b', 'dev'],
  ['check', '--ref', 'dev'],
  ['table', 'list', '--ref', 'dev'],
  ['cat', 'notes/note.txt'],
  ['status'],
];

describe('stderr on an embedded repository', () => {
  it('carries no library warning', async () => {
    const dir = join(root, 'human');
    const sluice = cliFor(dir);
    const problems: string[] = [];
    for (const step of steps(dir)) {
      const r = await sluice(step);
      if (r.code !== 0) problems.push(`${step.join(' ')}: exit ${r.code} ${r.stderr}`);
      if (LIBRARY_NOISE.test(r.stderr)) problems.push(`${step.join(' ')}: ${r.stderr}`);
    }
    expect(problems).toEqual([]);
  }, 300_000);

  it('is empty under --json, where stdout is one JSON document', async () => {
    const dir = join(root, 'json');
    const sluice = cliFor(dir);
    const problems: string[] = [];
    for (const step of steps(dir)) {
      const r = await sluice(['--json', ...step]);
      if (r.code !== 0) problems.push(`--json ${step.join(' ')}: exit ${r.code} ${r.stdout}`);
      if (r.stderr !== '') problems.push(`--json ${step.join(' ')}: stderr ${r.stderr}`);
      if (r.json === undefined) problems.push(`--json ${step.join(' ')}: stdout is not JSON`);
    }
    expect(problems).toEqual([]);
  }, 300_000);
});

describe('stderr on an S3 repository', () => {
  let s3: S3TestServer;
  const s3dir = join(root, 's3repo');
  const env = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_REGION: s3.region,
    SLUICE_REPO: s3dir,
  });

  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('the AWS SDK loads without a word on stderr (its documented switch, kept if the user set it)', async () => {
    const init = await runCli(
      ['init', s3dir, '--storage', `s3://${s3.bucket}/repo`, '--s3-endpoint', s3.endpoint],
      { env: env() },
    );
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toBe('');
    const put = await runCli(['put', join(root, 'note.txt'), 'note.txt'], { env: env() });
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toBe('');
    const json = await runCli(['--json', 'commit', '-m', 'on s3'], { env: env() });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    // The user's own setting wins: with the notice turned back on, Node 20 shows it (which also
    // proves the SDK was loaded and the switch is what kept it quiet).
    const loud = await runCli(['cat', 'note.txt'], {
      env: { ...env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' },
    });
    expect(loud.code).toBe(0);
    if (Number(process.versions.node.split('.')[0]) < 22)
      expect(loud.stderr).toContain('NodeVersionSupportWarning');
  }, 120_000);
});
