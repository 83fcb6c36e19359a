import { defineCommand, nonEmpty } from '../../cli-define.js';

export const validateCommand = defineCommand({
  name: 'validate',
  description: 'check a spine repository: schemas, skills, rules, contradictions, references',
  arguments: [{ syntax: '[dir]' }],
  examples: ['spine validate', 'spine validate ../acme-spine --json'],
  run: async ({ base, out, args }) => {
    const { runValidate } = await import('./index.js');
    await runValidate({ ...base, dir: nonEmpty(args[0], 'the spine directory') }, out);
  },
});
