import { defineCommand } from '../../cli-define.js';
import { UserError } from '../../errors.js';

export interface ResolveFlags {
  ours?: boolean;
  theirs?: boolean;
}

export const resolveCommand = defineCommand<ResolveFlags>({
  name: 'resolve',
  description: 'settle a conflict left by update: a path, a settings key or a guardrail id',
  arguments: [{ syntax: '<target>' }],
  flags: [
    { flags: '--ours', description: 'keep the team side' },
    { flags: '--theirs', description: "take the new spine version's side" },
  ],
  examples: ['spine resolve .claude/settings.json --ours', 'spine resolve deny-secrets --theirs'],
  run: async ({ base, out, flags: f, args }) => {
    if (Boolean(f.ours) === Boolean(f.theirs)) {
      throw new UserError('spine resolve needs exactly one of --ours or --theirs');
    }
    const { runResolve } = await import('./index.js');
    await runResolve({ ...base, target: args[0]!, side: f.ours ? 'ours' : 'theirs' }, out);
  },
});
