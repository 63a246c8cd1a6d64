// Shell completion scripts generated from the command tree, so they never drift from it: for each
// command path, its subcommands, its options (with the global ones, which commander accepts after
// any command) and which options take a value (their value is not a command name). The scripts
// walk the words typed so far through the subcommands, then offer the subcommands or, after a
// `-`, the options; anything else falls back to file names.
import type { Command, Option } from 'commander';
import { specOf } from './define.js';

interface Item {
  name: string;
  description: string;
}

export interface CompletionNode {
  /** Words after `sluice` (`branch create`; '' for sluice itself). */
  path: string;
  subcommands: Item[];
  options: Item[];
  /** Flags (short and long) that take a value. */
  valueFlags: string[];
}

const HELP_OPTION: Item[] = [
  { name: '-h', description: 'display help for command' },
  { name: '--help', description: 'display help for command' },
];

function optionItems(options: readonly Option[]): Item[] {
  return options
    .filter((o) => !o.hidden)
    .flatMap((o) =>
      [o.short, o.long]
        .filter((f): f is string => f !== undefined)
        .map((name) => ({ name, description: o.description })),
    );
}

const valueFlags = (options: readonly Option[]): string[] =>
  options
    .filter((o) => o.required || o.optional)
    .flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));

/** Every command path of the tree, depth first, `sluice` itself first. */
export function completionNodes(root: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  // commander reads sluice's options after any command; --version is offered on sluice alone.
  const globals = root.options.filter((o) => o.long !== '--version');
  const visit = (cmd: Command, path: string[]): void => {
    const subs = cmd.commands.map((c) => ({ name: c.name(), description: c.description() }));
    // commander's own `help [command]`, on sluice and on the groups (branch, tag, …).
    const spec = specOf(cmd);
    const isGroup = path.length === 0 || (spec !== undefined && !('handler' in spec));
    if (isGroup) subs.push({ name: 'help', description: 'display help for command' });
    const own = path.length === 0 ? cmd.options : [...cmd.options, ...globals];
    nodes.push({
      path: path.join(' '),
      subcommands: subs,
      options: [...optionItems(own), ...HELP_OPTION],
      valueFlags: valueFlags(own),
    });
    for (const c of cmd.commands) visit(c, [...path, c.name()]);
  };
  visit(root, []);
  return nodes;
}

// ---- bash ---------------------------------------------------------------------------------------

const words = (items: readonly string[]): string => items.join(' ');

/** A bash `case` arm: `'branch create') echo '…' ;;` (names are plain words: no quoting needed). */
const bashArm = (path: string, value: string): string => `    '${path}') echo '${value}' ;;`;

export function bashScript(root: Command): string {
  const nodes = completionNodes(root);
  const top = nodes[0]?.subcommands.filter((s) => s.name !== 'help') ?? [];
  const arms = (pick: (n: CompletionNode) => string[]): string =>
    nodes
      .map((n) => [n.path, words(pick(n))] as const)
      .filter(([, w]) => w !== '')
      .map(([p, w]) => bashArm(p, w))
      .join('\n');
  return `# bash completion for sluice, generated from its command tree by \`sluice completion bash\`.
# Load it from ~/.bashrc:  eval "$(sluice completion bash)"

_sluice_subcommands() {
  case "$1" in
${arms((n) => n.subcommands.map((s) => s.name))}
    'help') echo '${words(top.map((s) => s.name))}' ;;
  esac
}

_sluice_options() {
  case "$1" in
${arms((n) => n.options.map((o) => o.name))}
  esac
}

_sluice_value_options() {
  case "$1" in
${arms((n) => n.valueFlags)}
  esac
}

_sluice() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath='' word i skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then
      skip=0
      continue
    fi
    case "$word" in
      --*=*) ;;
      -*) [[ " $(_sluice_value_options "$cmdpath") " == *" $word "* ]] && skip=1 ;;
      *) [[ " $(_sluice_subcommands "$cmdpath") " == *" $word "* ]] && cmdpath="\${cmdpath:+$cmdpath }$word" ;;
    esac
  done
  COMPREPLY=()
  ((skip)) && return 0
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_sluice_options "$cmdpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_sluice_subcommands "$cmdpath")" -- "$cur"))
  fi
  return 0
}

complete -o default -F _sluice sluice
`;
}

// ---- zsh ----------------------------------------------------------------------------------------

/** A zsh single-quoted string. */
const zq = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** `name:description` items for _describe (a colon in a name would need escaping; none has one). */
const described = (items: readonly Item[]): string =>
  items.map((i) => zq(`${i.name}:${i.description.replace(/\s+/g, ' ')}`)).join(' ');

export function zshScript(root: Command): string {
  const nodes = completionNodes(root);
  const top = nodes[0]?.subcommands.filter((s) => s.name !== 'help') ?? [];
  const arm = (n: CompletionNode): string =>
    [
      `    ${zq(n.path)})`,
      `      subs=(${described(n.subcommands)})`,
      `      opts=(${described(n.options)})`,
      `      vals=(${n.valueFlags.join(' ')})`,
      '      ;;',
    ].join('\n');
  return `#compdef sluice
# zsh completion for sluice, generated from its command tree by \`sluice completion zsh\`.
# Save it as _sluice in a directory of your $fpath, or after compinit in ~/.zshrc:
#   eval "$(sluice completion zsh)"
compdef _sluice sluice

# Sets subs, opts (name:description items) and vals (options taking a value) for a command path.
_sluice_spec() {
  subs=() opts=() vals=()
  case $1 in
${nodes.map(arm).join('\n')}
    'help')
      subs=(${described(top)})
      ;;
  esac
}

_sluice() {
  local -a subs opts vals
  local cmdpath='' word
  local -i i skip=0
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if ((skip)); then
      skip=0
      continue
    fi
    _sluice_spec "$cmdpath"
    case $word in
      --*=*) ;;
      -*) ((\${vals[(Ie)$word]})) && skip=1 ;;
      *) ((\${\${subs%%:*}[(Ie)$word]})) && cmdpath=\${cmdpath:+$cmdpath }$word ;;
    esac
  done
  if ((skip)); then
    _files
    return
  fi
  _sluice_spec "$cmdpath"
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options 'option' opts
  elif ((\${#subs})); then
    _describe -t commands 'command' subs
  else
    _files
  fi
}

# Loaded from $fpath, this file is _sluice's body: run the function it just defined.
if [[ \${funcstack[1]} == _sluice ]]; then
  _sluice "$@"
fi
`;
}
