import type { Command } from 'commander';

/** Examples shown under each command's --help, keyed by the command's path. */
const EXAMPLES: Record<string, string[]> = {
  init: [
    'spine init --team payments --champion @alice',
    'spine init --spine github:acme/spine --ref v1.4.0 --team payments --ci github',
    'spine init --dry-run --yes',
  ],
  doctor: ['spine doctor', 'spine doctor --strict --sarif spine.sarif', 'spine doctor --fix'],
  facts: ['spine facts --json > facts.json'],
  report: [
    'spine report ../payments ../search --html report.html',
    'spine report --facts facts/ --since 30d --json',
  ],
  validate: ['spine validate', 'spine validate ../acme-spine --json'],
  contribute: ['spine contribute flaky-test-triage --dry-run', 'spine contribute flaky-test-triage --draft'],
  update: ['spine update --dry-run --diff', 'spine update --to v2.0.0', 'spine update --continue'],
  resolve: ['spine resolve .claude/settings.json --ours', 'spine resolve deny-secrets --theirs'],
  audit: ['spine audit --since 7d', 'spine audit --rollup day --json'],
  'skill new': [
    'spine skill new flaky-test-triage --description "Triage a flaky test: when CI fails intermittently"',
  ],
  'export managed-settings': ['spine export managed-settings --out managed-settings.json --strict'],
  'export plugin': ['spine export plugin ../acme-plugins --spine github:acme/spine'],
  completion: [
    'spine completion bash >> ~/.bashrc',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh parameter, for the user's shell
    'spine completion zsh > "${fpath[1]}/_spine"',
    'spine completion fish > ~/.config/fish/completions/spine.fish',
  ],
};

const ROOT_HELP = `
Global flags (every command):
  --cwd <dir>     run as if started in <dir>
  --json          one JSON document on stdout; an error is {"error": {code, message, file, line, column}}
  -q, --quiet     print nothing on success
  --no-color      no colours (also NO_COLOR)
  --debug         stack traces for internal errors

Exit codes:
  0    success
  1    the check found errors (drift that weakens a guardrail, conflicts, an invalid spine)
  2    bad usage or bad input: one line naming the file, nothing changed on disk
  70   internal error (run again with --debug)
  130  interrupted (Ctrl-C)

Run spine <command> --help for a command's flags and examples.`;

/** Adds examples to every command's help and the global flags and exit codes to the root help. */
export function addHelp(program: Command): void {
  program.addHelpText('after', ROOT_HELP);
  const visit = (command: Command, path: string[]) => {
    const key = path.join(' ');
    const examples = EXAMPLES[key];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  for (const sub of program.commands) visit(sub, [sub.name()]);
}

/** Every command and sub-command path of the program, with its flags: what completion offers. */
export function commandTree(program: Command): { path: string[]; flags: string[] }[] {
  const out: { path: string[]; flags: string[] }[] = [];
  const visit = (command: Command, path: string[]) => {
    const flags = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
    out.push({ path, flags: [...flags, '--help'] });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  for (const sub of program.commands) visit(sub, [sub.name()]);
  return out;
}
