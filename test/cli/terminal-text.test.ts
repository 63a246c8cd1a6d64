// Control characters in user text never reach the terminal as such: commit messages, file and
// column names, values quoted in errors and warnings print with their controls escaped (human
// output, stdout and stderr), ordinary Unicode as it is; --json keeps JSON's own escaping.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build-once.js';
import { cliFor, runCli, tempDir } from '../support/cli.js';

const dirs: string[] = [];
beforeAll(buildOnce);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Any C0 control but tab and newline, DEL, or a C1 control. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('control characters in user text', () => {
  const root = tempDir();
  dirs.push(root);
  const repo = join(root, 'repo');
  const sluice = cliFor(repo);
  const hostile = 'load\x1b[2J\x1b[H\rforged\u009b31m\x07';
  const unicode = 'café 日本語 🚀 naïve';

  beforeAll(async () => {
    expect((await runCli(['init', repo, '--quiet'])).code).toBe(0);
    writeFileSync(join(root, 'f.txt'), 'x\n');
  });

  it('a commit message is escaped in commit, log and log --oneline; Unicode passes', async () => {
    expect((await sluice(['put', join(root, 'f.txt'), 'a.txt'])).code).toBe(0);
    const message = `${hostile} ${unicode}\nerror: a forged second line\x1b]0;title\x07`;
    const c = await sluice(['commit', '-m', message]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).not.toMatch(RAW_CONTROL);
    expect(c.stdout).toContain('load\\x1b[2J\\x1b[H\\rforged\\x9b31m\\x07 café 日本語 🚀 naïve');

    const log = await sluice(['log']);
    expect(log.stdout).not.toMatch(RAW_CONTROL);
    expect(log.stdout).toContain(`    ${unicode.slice(0, 0)}load\\x1b[2J`);
    // The message's own second line is indented as git does: it cannot pass for a line of ours.
    expect(log.stdout).toMatch(/^ {4}error: a forged second line\\x1b\]0;title\\x07$/m);
    expect(log.stdout).not.toMatch(/^error:/m);

    const oneline = await sluice(['log', '--oneline']);
    expect(oneline.stdout).not.toMatch(RAW_CONTROL);
    expect(oneline.stdout).toContain('naïve');

    // --json: JSON's escaping, the message as it was.
    const json = await sluice(['--json', 'log', '-n', '1']);
    expect(json.json.commits[0].message).toBe(message);
  });

  it('file names (C1 controls are valid in paths) in status and ls, and metadata', async () => {
    const path = `raw/na\u009b2Jme-${'日本'}-é.txt`;
    const r = await sluice(['put', join(root, 'f.txt'), path, '--meta', 'note=\x1b[31mred']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const status = await sluice(['status']);
    expect(status.stdout).not.toMatch(RAW_CONTROL);
    expect(status.stdout).toContain('+ raw/na\\x9b2Jme-日本-é.txt');
    const ls = await sluice(['ls', '-r', 'raw/']);
    expect(ls.stdout).not.toMatch(RAW_CONTROL);
    expect(ls.stdout).toContain('na\\x9b2Jme-日本-é.txt');
    expect((await sluice(['commit', '-m', 'meta', '--meta', 'by=\x1b[5mx'])).code).toBe(0);
    const show = await sluice(['show', 'main']);
    expect(show.stdout + show.stderr).not.toMatch(RAW_CONTROL);
  });

  it('values quoted in errors and warnings are escaped on stderr, not under --json', async () => {
    const ref = 'nope\u009b2J\u0085x';
    const human = await sluice(['log', ref]);
    expect(human.code).toBe(3);
    expect(human.stderr).not.toMatch(RAW_CONTROL);
    expect(human.stderr).toContain('nope\\x9b2J\\x85x');
    const json = await sluice(['--json', 'log', ref]);
    expect(json.json.error.message).toContain(ref);

    // A warning naming a local file whose name holds an ESC sequence.
    const dir = join(root, 'dir');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ok.txt'), 'ok\n');
    symlinkSync(join(dir, 'missing'), join(dir, 'bad\x1b[2Jlink'));
    const put = await sluice(['put', dir, 'dir/']);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).not.toMatch(RAW_CONTROL);
    expect(put.stderr).toContain('bad\\x1b[2Jlink');
  });

  it('column names and values in SQL output and table show', async () => {
    const csv = join(root, 't.csv');
    writeFileSync(csv, '"id","na\x1b[31mme"\n1,"\x1b[2Jboom 日本"\n');
    const ing = await sluice(['ingest', csv, '--table', 't', '--commit', '-m', 'x']);
    expect(ing.code, ing.stderr).toBe(0);
    expect(ing.stdout + ing.stderr).not.toMatch(RAW_CONTROL);
    const sql = await sluice(['sql', 'SELECT * FROM t']);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).not.toMatch(RAW_CONTROL);
    expect(sql.stdout).toContain('\\x1b[2Jboom 日本');
    // Aligned on what is printed: the rule is as wide as the widest (escaped) cell of its column.
    const [header, rule, row] = sql.stdout.split('\n');
    expect(header).toBe('id  na\\x1b[31mme');
    expect(row).toBe(' 1  \\x1b[2Jboom 日本');
    expect(rule?.length).toBe(row?.length);
    const show = await sluice(['table', 'show', 't']);
    expect(show.stdout).not.toMatch(RAW_CONTROL);
    expect(show.stdout).toContain('na\\x1b[31mme');
  });
});
