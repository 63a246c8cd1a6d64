// `sluice completion bash|zsh`: prints the completion script for the shell, generated from the
// command tree this very program was built with; under --json, `{ completion: { shell, script } }`.
import { InvalidArgumentError } from '../../index.js';
import { bashScript, zshScript } from '../completion-script.js';
import type { CommandContext } from '../runner.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript } as const;

export async function run(ctx: CommandContext, shell: string): Promise<number> {
  if (shell !== 'bash' && shell !== 'zsh')
    throw new InvalidArgumentError(`no completion for ${shell}: bash or zsh`, {
      argument: 'shell',
      reason: 'unsupported shell',
    });
  let root = ctx.command;
  while (root.parent) root = root.parent;
  const script = SCRIPTS[shell](root);
  ctx.out.result({ completion: { shell, script } }, () => ctx.io.stdout.write(script));
  return 0;
}
