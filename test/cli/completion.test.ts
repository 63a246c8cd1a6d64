// `sluice completion bash|zsh`: scripts generated from the command tree. The bash script is
// checked by bash itself (syntax, then its completion function driven the way bash drives it:
// COMP_WORDS / COMP_CWORD in, COMPREPLY out). zsh is not installed here: its script is checked
// for the structure zsh's completion system needs, and for the tree it carries.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bashScript, completionNodes, zshScript } from '../../src/cli/completion-script.js';
import { buildProgram } from '../../src/cli/main.js';
import { Runner } from '../../src/cli/runner.js';
import { buildOnce } from '../support/build-once.js';
import { runCli, tempDir } from '../support/cli.js';

const sink = (): Writable =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });
const io = { stdout: sink(), stderr: sink() };
const program = buildProgram(new Runner(io), io, false);
const dir = tempDir('sluice-completion-');
const bashFile = join(dir, 'sluice.bash');

beforeAll(() => writeFileSync(bashFile, bashScript(program)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash offers after the words typed (the last one being completed). */
function complete(...words: string[]): string[] {
  const quoted = ['sluice', ...words].map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source '${bashFile}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length}; _sluice; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => l !== '');
}

describe('sluice completion bash', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', bashFile]);
  });

  it('completes commands, subcommands and options from the tree', () => {
    expect(complete('br')).toEqual(['branch']);
    expect(complete('branch', 'c')).toEqual(['create']);
    expect(complete('build', '--se')).toEqual(['--select']);
    expect(complete('b')).toEqual(['branch', 'build']);
    expect(complete('branch', 'create', '--f')).toEqual(['--from']);
    // Global options after a command; an option's value is not read as a command.
    expect(complete('build', '--js')).toEqual(['--json']);
    expect(complete('--repo', 'branch', 'br')).toEqual(['branch']);
    expect(complete('--repo', 'r', 'branch', 'l')).toEqual(['list']);
    expect(complete('put', '-b', 'dev', '--')).toContain('--content-type');
    // A value to type: nothing offered (bash falls back to file names).
    expect(complete('put', '--branch', '')).toEqual([]);
    expect(complete('help', 'br')).toEqual(['branch']);
    expect(complete('check', '')).toEqual(['history', 'import-ge', 'suggest']);
  });

  it('is what `sluice completion bash` prints; --json wraps it in one document', async () => {
    await buildOnce();
    const r = await runCli(['completion', 'bash'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(bashScript(program));
    expect(r.stderr).toBe('');
    const j = await runCli(['completion', 'zsh', '--json'], { cwd: dir });
    expect(j.json).toEqual({ completion: { shell: 'zsh', script: zshScript(program) } });
    const bad = await runCli(['completion', 'fish'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no completion for fish: bash or zsh');
  });
});

describe('sluice completion zsh', () => {
  const script = zshScript(program);

  it('is a completion function for compdef, with _describe for commands and options', () => {
    const lines = script.split('\n');
    expect(lines[0]).toBe('#compdef sluice');
    expect(script).toContain('\ncompdef _sluice sluice\n');
    expect(script).toMatch(/\n_sluice\(\) \{\n/);
    expect(script).toContain("_describe -t commands 'command' subs");
    expect(script).toContain("_describe -t options 'option' opts");
    expect(script).toContain(`if [[ \${funcstack[1]} == _sluice ]]; then`);
  });

  it('carries every command path of the tree, its subcommands and options', () => {
    for (const node of completionNodes(program)) {
      expect(script).toContain(`    '${node.path}')\n`);
      for (const s of node.subcommands) expect(script).toContain(`'${s.name}:`);
    }
    expect(script).toContain("'--select:nodes to run");
    expect(script).toMatch(/'branch create'\)\n.*\n.*'--from:where the branch starts/);
  });

  it('quotes every description (single quotes balanced on every line but comments)', () => {
    for (const line of script.split('\n')) {
      if (line.trimStart().startsWith('#')) continue;
      const unescaped = line.replaceAll(`'\\''`, '');
      expect((unescaped.match(/'/g) ?? []).length % 2, line).toBe(0);
    }
  });
});
