// The command tree as a whole, in-process (no command runs): every command says what it writes,
// every command that writes to a branch takes -b/--branch, every command takes --json after its
// path, `sluice help` groups the commands, and declarations stay cheap (they load no library
// code: that is what keeps `sluice --version` fast).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  type ActionFactory,
  type Handler,
  specOf,
  WRITE_CLASSES,
  writeClassOf,
} from '../../src/cli/define.js';
import { buildProgram, main } from '../../src/cli/main.js';
import { INGEST_FORMATS, OUTPUT_FORMATS, WRITE_MODES } from '../../src/tables/index.js';
import { EVENT_TYPES } from '../../src/workflow/index.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

interface Call {
  path: string;
  globals: { json?: boolean; repo?: string; quiet?: boolean };
}

/** Runs nothing: records which command commander picked and the global options it saw. */
class Recorder implements ActionFactory {
  calls: Call[] = [];
  action(_load: () => Promise<Handler>): (...args: unknown[]) => Promise<void> {
    return async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      this.calls.push({ path: pathOf(cmd).join(' '), globals: cmd.optsWithGlobals() });
    };
  }
}

function pathOf(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names;
}

/** The whole tree, or (with `args`) what main() mounts for that command line. */
const program = (runner: ActionFactory = new Recorder(), args?: string[]): Command =>
  buildProgram(runner, { stdout: new Sink(), stderr: new Sink() }, false, args);

/** Every command that runs (has a handler), with its path. */
function runnable(root: Command): Command[] {
  const out: Command[] = [];
  const visit = (c: Command): void => {
    if (c.parent && specOf(c) && 'handler' in (specOf(c) as object)) out.push(c);
    for (const sub of c.commands) visit(sub);
  };
  visit(root);
  return out;
}

/** A command line that parses: the path, a value for each required argument and option. */
function minimalArgs(cmd: Command): string[] {
  const args = [...pathOf(cmd)];
  for (const a of cmd.registeredArguments) if (a.required) args.push('x');
  for (const o of cmd.options) if (o.mandatory) args.push(o.long ?? (o.short as string), 'x');
  return args;
}

const hasFlag = (cmd: Command, short: string, long: string): boolean =>
  cmd.options.some((o) => o.short === short && o.long === long);

describe('the command tree', () => {
  const root = program();
  const commands = runnable(root);

  it('has the commands it should (a smoke check of the walk)', () => {
    const paths = commands.map((c) => pathOf(c).join(' '));
    expect(paths.length).toBeGreaterThan(50);
    for (const p of ['init', 'branch list', 'build', 'check history', 'env status', 'completion'])
      expect(paths).toContain(p);
  });

  it('every command declares what it writes', () => {
    const undeclared = commands.filter((c) => {
      const w = writeClassOf(c);
      return w === undefined || !WRITE_CLASSES.includes(w);
    });
    expect(undeclared.map((c) => pathOf(c).join(' '))).toEqual([]);
  });

  it('every command that writes to a branch takes -b/--branch; every --branch has its -b', () => {
    const missing = commands.filter(
      (c) => writeClassOf(c) === 'branch' && !hasFlag(c, '-b', '--branch'),
    );
    expect(missing.map((c) => pathOf(c).join(' '))).toEqual([]);
    const loose = commands.filter(
      (c) => c.options.some((o) => o.long === '--branch') && !hasFlag(c, '-b', '--branch'),
    );
    expect(loose.map((c) => pathOf(c).join(' '))).toEqual([]);
    const writers = commands.filter((c) => writeClassOf(c) === 'branch').map((c) => c.name());
    for (const name of ['put', 'rm', 'commit', 'reset', 'revert', 'cherry-pick', 'ingest'])
      expect(writers).toContain(name);
    for (const name of ['build', 'run', 'seed', 'merge', 'load']) expect(writers).toContain(name);
  });

  it('every command takes --json after its path (and before it), as a global option', async () => {
    const failures: string[] = [];
    for (const cmd of commands) {
      const path = pathOf(cmd).join(' ');
      for (const argv of [
        [...minimalArgs(cmd), '--json'],
        ['--json', ...minimalArgs(cmd)],
      ]) {
        const recorder = new Recorder();
        try {
          // As main() runs it: only the command the line names is mounted.
          await program(recorder, argv).parseAsync(['node', 'sluice', ...argv]);
        } catch (err) {
          failures.push(`${argv.join(' ')}: ${err instanceof CommanderError ? err.code : err}`);
          continue;
        }
        const call = recorder.calls[0];
        if (call?.path !== path || call.globals.json !== true)
          failures.push(`${argv.join(' ')}: ran ${call?.path} with json=${call?.globals.json}`);
      }
      // Its help lists --json (the global options are shown with each command's own).
      if (!cmd.helpInformation().includes('--json')) failures.push(`${path}: help lacks --json`);
    }
    expect(failures).toEqual([]);
  });

  it('merge and load keep --into as a synonym of --branch', () => {
    for (const name of ['merge', 'load']) {
      const cmd = commands.find((c) => pathOf(c).join(' ') === name) as Command;
      expect(cmd.options.map((o) => o.long)).toEqual(
        expect.arrayContaining(['--branch', '--into']),
      );
    }
  });

  it('option help that lists library values lists them all (declarations cannot import them)', () => {
    const help = (path: string): string =>
      (commands.find((c) => pathOf(c).join(' ') === path) as Command).helpInformation();
    for (const f of INGEST_FORMATS) expect(help('ingest')).toContain(f);
    for (const m of WRITE_MODES) expect(help('ingest')).toContain(m);
    for (const f of OUTPUT_FORMATS) expect(help('export')).toContain(f);
    for (const t of EVENT_TYPES) expect(help('events')).toContain(t);
  });
});

describe('sluice help', () => {
  const run = async (args: string[]): Promise<{ code: number; out: string }> => {
    const stdout = new Sink();
    const code = await main(['node', 'sluice', ...args], { stdout, stderr: stdout });
    return { code, out: stdout.text };
  };

  it('groups the commands: versioning, tables, quality, pipelines, workflows, maintenance', async () => {
    for (const args of [['help'], ['--help']]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      const headings = out.split('\n').filter((l) => /^[A-Z][a-z]+:$/.test(l));
      expect(headings).toEqual([
        'Options:',
        'Versioning:',
        'Tables:',
        'Quality:',
        'Pipelines:',
        'Workflows:',
        'Server:',
        'Maintenance:',
        'Other:',
      ]);
      const section = (h: string): string => out.split(`${h}\n`)[1]?.split('\n\n')[0] ?? '';
      expect(section('Versioning:')).toMatch(/^ {2}branch /m);
      expect(section('Tables:')).toMatch(/^ {2}ingest /m);
      expect(section('Quality:')).toMatch(/^ {2}check /m);
      expect(section('Pipelines:')).toMatch(/^ {2}build /m);
      expect(section('Workflows:')).toMatch(/^ {2}deploy /m);
      expect(section('Server:')).toMatch(/^ {2}serve /m);
      expect(section('Server:')).toMatch(/^ {2}user /m);
      expect(section('Maintenance:')).toMatch(/^ {2}gc /m);
      expect(section('Other:')).toMatch(/^ {2}help \[command\]/m);
    }
  });

  it('under --json, help and the version are one JSON document too', async () => {
    const version = await run(['--version', '--json']);
    expect(version.code).toBe(0);
    expect(Object.keys(JSON.parse(version.out))).toEqual(['version']);
    for (const args of [
      ['--json', 'help', 'build'],
      ['branch', 'list', '--help', '--json'],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).help).toMatch(/^Usage: sluice (build|branch list) \[options\]/);
    }
  });

  it('sluice help COMMAND shows that command’s help', async () => {
    const build = await run(['help', 'build']);
    expect(build.code).toBe(0);
    expect(build.out).toContain('Usage: sluice build [options]');
    expect(build.out).toContain('-b, --branch <branch>');
    expect(build.out).toContain('--json');
    const branch = await run(['help', 'branch']);
    expect(branch.out).toContain('Usage: sluice branch [options] [command]');
    expect(branch.out).toMatch(/^ {2}create \[options\] <name>/m);
  });
});

describe('main() mounts what a command line needs', () => {
  const run = async (args: string[]): Promise<{ code: number; out: string }> => {
    const out = new Sink();
    const code = await main(['node', 'sluice', ...args], { stdout: out, stderr: out });
    return { code, out: out.text };
  };

  it('the command named (after global options and their values), all of it otherwise', () => {
    const names = (args: string[]): string[] =>
      program(new Recorder(), args).commands.map((c) => c.name());
    expect(names(['branch', 'list'])).toEqual(['branch']);
    expect(names(['--repo', 'build', '-q', 'branch', 'list'])).toEqual(['branch']);
    expect(names(['--json', 'build', '-b', 'dev'])).toEqual(['build']);
    expect(names(['--version'])).toEqual([]);
    const all = program().commands.length;
    for (const args of [[], ['help', 'build'], ['--help'], ['--version', '--help'], ['brnch']])
      expect(names(args).length, args.join(' ')).toBe(all);
  });

  it('--version, an unknown command with its suggestion, a subcommand’s help', async () => {
    expect(await run(['--version'])).toEqual({
      code: 0,
      out: `${JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version}\n`,
    });
    const unknown = await run(['brnch']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('(Did you mean branch?)');
    const help = await run(['branch', 'create', '--help']);
    expect(help.out).toContain('Usage: sluice branch create [options] <name>');
  });
});

describe('declarations stay cheap', () => {
  it('commands/*.ts import only commander, ../define.js and other declarations', () => {
    const dir = join(import.meta.dirname, '../../src/cli/commands');
    const bad: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/^import (type )?[^;]*? from '([^']+)';/gms)) {
        const [, typeOnly, from] = m;
        if (
          typeOnly ||
          from === 'commander' ||
          from === '../define.js' ||
          /^\.\/[\w-]+\.js$/.test(from ?? '')
        )
          continue;
        bad.push(`${f}: ${from}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
