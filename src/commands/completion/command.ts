import { completionScript, SHELLS, type Shell } from '../../cli-completion.js';
import { defineCommand, GLOBAL_FLAGS } from '../../cli-define.js';
import { commandTree } from '../../cli-help.js';

export const completionCommand = defineCommand({
  name: 'completion',
  description: 'print a shell completion script: bash, zsh or fish',
  arguments: [{ syntax: '<shell>', choices: SHELLS }],
  globals: false,
  examples: [
    'spine completion bash >> ~/.bashrc',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh parameter, for the user's shell
    'spine completion zsh > "${fpath[1]}/_spine"',
    'spine completion fish > ~/.config/fish/completions/spine.fish',
  ],
  // Always through commander (cli-fast.ts runs only commands that need no program).
  run: async ({ out, args, program }) => {
    const globals = GLOBAL_FLAGS.map((f) => f.flags.split(/[ ,]+/).find((w) => w.startsWith('--'))!);
    out.out(completionScript(args[0] as Shell, commandTree(program!), globals).trimEnd());
  },
});
