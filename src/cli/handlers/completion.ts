// `sluice completion bash|zsh`: prints the completion script for the shell, generated from the
// whole command tree (main() mounts only the command a line names: this one builds all of it);
// under --json, `{ completion: { shell, script } }`.
import { InvalidArgumentError } from '../../index.js';
import { bashScript, zshScript } from '../completion-script.js';
import { buildProgram } from '../main.js';
import type { CommandContext } from '../runner.js';
import { Runner } from '../runner.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript } as const;

export async function run(ctx: CommandContext, shell: string): Promise<number> {
  if (shell !== 'bash' && shell !== 'zsh')
    throw new InvalidArgumentError(`no completion for ${shell}: bash or zsh`, {
      argument: 'shell',
      reason: 'unsupported shell',
    });
  const script = SCRIPTS[shell](buildProgram(new Runner(ctx.io), ctx.io, ctx.globals.json));
  ctx.out.result({ completion: { shell, script } }, () => ctx.io.stdout.write(script));
  return 0;
}
