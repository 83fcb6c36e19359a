import { defineCommand } from '../../cli-define.js';

export interface UpdateFlags {
  to?: string;
  dryRun?: boolean;
  diff?: boolean;
  allowDirty?: boolean;
  offline?: boolean;
  continue?: boolean;
  abort?: boolean;
}

export const updateCommand = defineCommand<UpdateFlags>({
  name: 'update',
  description: 'move to another spine version with a three-way merge (default: the latest release)',
  flags: [
    { flags: '--to <ref>', description: 'tag, branch or commit to move to' },
    { flags: '--dry-run', description: 'print the plan and write nothing' },
    { flags: '--diff', description: 'show a unified diff of every file the update changes' },
    {
      flags: '--allow-dirty',
      description: 'update even when the paths it changes have uncommitted changes',
    },
    { flags: '--offline', description: 'use the cached spine only' },
    { flags: '--continue', description: 'finish an update once its conflicts are settled' },
    { flags: '--abort', description: 'put back every file an unfinished update changed' },
  ],
  examples: ['spine update --dry-run --diff', 'spine update --to v2.0.0', 'spine update --continue'],
  run: async ({ base, out, flags: f }) => {
    const { runUpdate } = await import('./index.js');
    await runUpdate(
      {
        ...base,
        to: f.to,
        dryRun: Boolean(f.dryRun),
        diff: Boolean(f.diff),
        allowDirty: Boolean(f.allowDirty),
        offline: Boolean(f.offline),
        continue: Boolean(f.continue),
        abort: Boolean(f.abort),
      },
      out,
    );
  },
});
