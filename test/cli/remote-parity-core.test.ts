// The versioning commands print the same and exit the same locally and against a server: one
// script (branches, put/get/cat/ls/rm, status, commit, log, show, diff, merge with a conflict, revert,
// cherry-pick, tags, aliases — text and --json, successes and failures) runs on one fresh
// repository directly and on another, made the same way, through `--remote`. Commit ids and times
// differ by nature and are numbered placeholders (remote-parity.ts); so are event ids, since the
// server's log also holds its audit events.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';
import { runScript, type Step, type StepResult } from '../support/remote-parity.js';
import { type Served, serve } from '../support/served.js';
import { secretOf, testAuthenticator } from '../support/test-auth.js';

const s = (line: string, input?: string): Step => ({
  args: line.split(' ').filter((a) => a !== ''),
  ...(input !== undefined ? { input } : {}),
});

/** The script: every versioning command with a remote handler, text and JSON, some failing. */
function script(files: string, out: string): Step[] {
  return [
    s('branch create feature'),
    s('--json branch create feature2 --from main'),
    s(`put ${files}/a.txt data/a.txt -b feature`),
    s(`put ${files}/dir data/dir -b feature`),
    s(
      `--json put ${files}/b.bin data/b.bin -b feature --content-type application/x-thing --meta k=v`,
    ),
    s('put /no/such/file data/x -b feature'),
    s('ls -r --ref feature'),
    s('ls data --ref feature'),
    s('--json ls data/ --ref feature'),
    s('ls data/a.txt --ref feature'),
    s('ls nope --ref feature'),
    s('cat data/a.txt --ref feature'),
    s('--json cat data/b.bin --ref feature'),
    s('cat data/nope --ref feature'),
    s(`get data/a.txt ${out}/a.txt --ref feature`),
    s(`--json get data/dir/c.txt ${out}/ --ref feature`),
    s('status -b feature'),
    s('--json status -b feature'),
    s('diff -b feature'),
    s('--json diff -b feature --prefix data/dir/'),
    s('commit -m first -b feature --meta ticket=T-1'),
    s('--json commit -m again -b feature'),
    s('commit -m nothing -b nope'),
    s('rm data/dir -r -b feature'),
    s('rm data/none -b feature'),
    s('--json commit -m removed -b feature'),
    s('log feature'),
    s('--json log feature -n 2'),
    s('log feature --oneline --path data/a.txt'),
    s('log nope'),
    s('show feature'),
    s('--json show feature~1'),
    s('diff main feature'),
    s('--json diff main feature'),
    s('merge feature --into main'),
    s('--json merge feature --into main'),
    s('merge feature --into main --strategy ours'),
    // A conflict: both sides change data/a.txt.
    s(`put ${files}/c1.txt data/a.txt -b feature`),
    s('commit -m side-a -b feature'),
    s(`put ${files}/c2.txt data/a.txt`),
    s('commit -m side-b'),
    s('merge feature'),
    s('--json merge feature'),
    s('--json merge feature --strategy source-wins -m resolved'),
    s('revert main~1'),
    s('--json cherry-pick feature~1 -b feature2'),
    s('tag create v1'),
    s('--json tag create v2 feature'),
    s('tag create v1'),
    s('tag list'),
    s('--json tag list'),
    s('tag delete v1'),
    s('--json tag delete v1'),
    s('alias set prod main'),
    s('--json alias set prod feature'),
    s('alias list'),
    s('--json alias list'),
    s('alias delete prod'),
    s('alias delete prod'),
    s('branch reset feature2 --to main'),
    s('--json branch reset feature2 --to feature'),
    s('branch delete feature2'),
    s('--json branch delete feature2'),
    s('branch list'),
    s('--json branch list'),
  ];
}

const printed = (r: StepResult | undefined) =>
  r && { code: r.code, stdout: r.stdout, stderr: r.stderr };

/** Event ids: the server's log also holds the audit events of its requests. */
const sameEvents = (r: StepResult[]): StepResult[] =>
  r.map((x) => ({ ...x, stdout: x.stdout.replace(/"event": \d+/g, '"event": <n>') }));

describe('remote parity: the versioning commands', () => {
  let served: Served;
  let localDir: string;
  let remoteDir: string;
  let files: string;

  beforeAll(async () => {
    await buildOnce();
    localDir = join(tempDir('sluice-parity-'), 'shared');
    remoteDir = join(tempDir('sluice-parity-'), 'shared');
    for (const d of [localDir, remoteDir]) expect((await runCli(['init', d])).code).toBe(0);
    files = tempDir('sluice-parity-files-');
    writeFileSync(join(files, 'a.txt'), 'alpha\n');
    writeFileSync(join(files, 'b.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(files, 'c1.txt'), 'one\n');
    writeFileSync(join(files, 'c2.txt'), 'two\n');
    mkdirSync(join(files, 'dir', 'sub'), { recursive: true });
    writeFileSync(join(files, 'dir', 'c.txt'), 'c\n');
    writeFileSync(join(files, 'dir', 'sub', 'd.csv'), 'x,y\n1,2\n');
    // The server's user is the local committer's name: log and show print the same committer.
    served = await serve(remoteDir, testAuthenticator({ tester: ['Admins'] }));
  }, 120_000);
  afterAll(async () => served?.close());

  test('one script, run locally and remotely, prints the same and exits the same', async () => {
    const target = { url: served.url, accessKeyId: 'tester', secretAccessKey: secretOf('tester') };
    const outLocal = tempDir('sluice-parity-out-');
    const outRemote = tempDir('sluice-parity-out-');
    const here = await runScript(
      script(files, outLocal),
      { ...target, dir: localDir, names: [localDir, outLocal, 'shared'] },
      'local',
    );
    const there = await runScript(
      script(files, outRemote),
      { ...target, dir: remoteDir, names: [remoteDir, outRemote, 'shared'] },
      'remote',
    );
    const a = sameEvents(here);
    const b = sameEvents(there);
    // Every step that differs, named (one diff at a time would hide the others).
    const differ = a
      .map((x, i) => ({ step: x.args.join(' '), local: x, remote: b[i] }))
      // The steps name their own output directory: the output is compared, not the arguments.
      .filter((d) => JSON.stringify(printed(d.local)) !== JSON.stringify(printed(d.remote)));
    if (process.env.PARITY_DUMP)
      writeFileSync(process.env.PARITY_DUMP, JSON.stringify(differ, null, 2));
    expect(differ.map((d) => d.step)).toEqual([]);
    // The script exercised failures too (exit codes 1, 2 and 3 of the local CLI).
    expect(new Set(here.map((r) => r.code))).toEqual(new Set([0, 1, 2, 3]));
  }, 300_000);

  // After the script: it adds a branch to the served repository only.
  test('a file bigger than put reads into memory streams up and down', async () => {
    const env = {
      SLUICE_REMOTE: served.url,
      SLUICE_ACCESS_KEY_ID: 'tester',
      SLUICE_SECRET_ACCESS_KEY: secretOf('tester'),
      SLUICE_REPO: undefined,
    };
    const big = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const src = join(files, 'big.bin');
    writeFileSync(src, big);
    const put = await runCli(['--json', 'put', src, 'big/big.bin', '-b', 'big'], { env });
    expect(put.code).toBe(3); // no branch big yet: refused before reading
    expect((await runCli(['branch', 'create', 'big'], { env })).code).toBe(0);
    const ok = await runCli(['--json', 'put', src, 'big/big.bin', '-b', 'big'], { env });
    expect(ok.code).toBe(0);
    expect(ok.json.entries[0]).toMatchObject({ path: 'big/big.bin', size: big.length });
    const dest = join(tempDir('sluice-parity-out-'), 'back.bin');
    const got = await runCli(['get', 'big/big.bin', dest, '--ref', 'big'], { env });
    expect(got.code).toBe(0);
    expect(readFileSync(dest).equals(big)).toBe(true);
  }, 120_000);
});
