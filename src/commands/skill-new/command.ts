import { defineCommand } from '../../cli-define.js';

export interface SkillNewFlags {
  description?: string;
}

const skillNewCommand = defineCommand<SkillNewFlags>({
  name: 'new',
  description: 'scaffold a local skill in .claude/skills/<name>/',
  arguments: [{ syntax: '<name>' }],
  flags: [{ flags: '--description <text>', description: 'what the skill does and when to use it' }],
  examples: [
    'spine skill new flaky-test-triage --description "Triage a flaky test: when CI fails intermittently"',
  ],
  run: async ({ base, out, flags: f, args }) => {
    const { runSkillNew } = await import('./index.js');
    await runSkillNew({ ...base, name: args[0]!, description: f.description }, out);
  },
});

export const skillCommand = defineCommand({
  name: 'skill',
  description: 'work with local skills',
  subcommands: [skillNewCommand],
});
