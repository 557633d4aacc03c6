// `runlet completion bash|zsh|fish`: a completion script made from the command tree itself, so every
// command, subcommand and option the CLI has is completed, and nothing it lacks.
import { Argument, type Command } from "commander";
import type { CliContext } from "../context.js";

interface Node {
  name: string;
  description: string;
  options: string[];
  subcommands: Node[];
}

function tree(command: Command): Node[] {
  return command.commands
    .filter((c) => c.name() !== "help")
    .map((c) => ({
      name: c.name(),
      description: c.description().split(/[;:(]/)[0]!.trim(),
      options: c.options.filter((o) => !o.hidden && o.long).map((o) => o.long!),
      subcommands: tree(c),
    }));
}

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

/** One `case` arm per command: its subcommands first, then the options of the command typed. */
function shCases(nodes: Node[], indent: string, complete: (words: string) => string): string {
  return nodes
    .map((n) => {
      if (n.subcommands.length === 0) return `${indent}${n.name}) opts="${n.options.join(" ")}" ;;`;
      const inner = n.subcommands
        .map((s) => `${indent}    ${s.name}) opts="${s.options.join(" ")}" ;;`)
        .join("\n");
      return [
        `${indent}${n.name})`,
        `${indent}  if [ "$pos" -eq 2 ]; then ${complete(n.subcommands.map((s) => s.name).join(" "))}; return; fi`,
        `${indent}  case "$sub" in`,
        inner,
        `${indent}  esac ;;`,
      ].join("\n");
    })
    .join("\n");
}

function bash(nodes: Node[]): string {
  return `# runlet completion for bash: add to ~/.bashrc
#   source <(runlet completion bash)
_runlet() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="\${COMP_WORDS[1]}" sub="\${COMP_WORDS[2]}" pos=$COMP_CWORD opts=""
  if [ "$pos" -eq 1 ]; then COMPREPLY=($(compgen -W "${nodes.map((n) => n.name).join(" ")} --help --version" -- "$cur")); return; fi
  case "$cmd" in
${shCases(nodes, "    ", (words) => `COMPREPLY=($(compgen -W "${words}" -- "$cur"))`)}
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts --help" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _runlet runlet
`;
}

function zsh(nodes: Node[]): string {
  return `#compdef runlet
# runlet completion for zsh: add to ~/.zshrc (after compinit)
#   source <(runlet completion zsh)
_runlet() {
  local cmd="\${words[2]}" sub="\${words[3]}" pos=$((CURRENT - 1)) opts=""
  if [ "$pos" -eq 1 ]; then compadd -- ${nodes.map((n) => n.name).join(" ")}; return; fi
  case "$cmd" in
${shCases(nodes, "    ", (words) => `compadd -- ${words}`)}
  esac
  if [[ "$PREFIX" == -* ]]; then compadd -- \${=opts} --help; else _files; fi
}
compdef _runlet runlet
`;
}

function fish(nodes: Node[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const lines = [
    "# runlet completion for fish: runlet completion fish > ~/.config/fish/completions/runlet.fish",
    "complete -c runlet -f",
  ];
  for (const n of nodes) {
    lines.push(`complete -c runlet -n __fish_use_subcommand -a ${n.name} -d ${quote(n.description)}`);
    const inCommand = `__fish_seen_subcommand_from ${n.name}`;
    if (n.subcommands.length > 0) {
      const subs = n.subcommands.map((s) => s.name).join(" ");
      for (const s of n.subcommands) {
        lines.push(
          `complete -c runlet -n ${quote(`${inCommand}; and not __fish_seen_subcommand_from ${subs}`)} -a ${s.name} -d ${quote(s.description)}`,
        );
        for (const o of s.options)
          lines.push(
            `complete -c runlet -n ${quote(`${inCommand}; and __fish_seen_subcommand_from ${s.name}`)} -l ${o.slice(2)}`,
          );
      }
    }
    for (const o of n.options) lines.push(`complete -c runlet -n ${quote(inCommand)} -l ${o.slice(2)}`);
    if (n.subcommands.length === 0) lines.push(`complete -c runlet -n ${quote(inCommand)} -F`);
  }
  return `${lines.join("\n")}\n`;
}

export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command("completion")
    .description("print a shell completion script for runlet's commands and options")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .action((shell: Shell) => {
      const nodes = tree(program);
      ctx.io.out(shell === "bash" ? bash(nodes) : shell === "zsh" ? zsh(nodes) : fish(nodes));
    });
}
