import { defineCommand } from '../../cli-define.js';

export interface RemoveFlags {
  dryRun?: boolean;
}

export const removeCommand = defineCommand<RemoveFlags>({
  name: 'remove',
  description: "take spine out of this repository, keeping every byte of the team's",
  flags: [{ flags: '--dry-run', description: 'list what would be removed and what is kept; write nothing' }],
  examples: ['spine remove --dry-run', 'spine remove', 'spine remove --json --dry-run'],
  run: async ({ base, out, flags: f }) => {
    const { runRemove } = await import('./print.js');
    await runRemove({ ...base, dryRun: Boolean(f.dryRun) }, out);
  },
});
