import { defineCommand } from '../../cli-define.js';

export interface ContributeFlags {
  title?: string;
  draft?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

export const contributeCommand = defineCommand<ContributeFlags>({
  name: 'contribute',
  description:
    'propose a local skill (a name under .claude/skills/ or a path) to the spine as a pull request',
  arguments: [{ syntax: '<skill>', completes: 'skills' }],
  flags: [
    { flags: '--title <title>', description: 'title of the pull request' },
    { flags: '--draft', description: 'open it as a draft' },
    {
      flags: '--dry-run',
      description: 'show the branch, diff and pull request text; push nothing, call no API',
    },
    { flags: '-y, --yes', description: 'never prompt' },
    { flags: '--force', description: 'propose even when the spine has a similar skill' },
  ],
  examples: ['spine contribute flaky-test-triage --dry-run', 'spine contribute flaky-test-triage --draft'],
  run: async ({ base, out, flags: f, args }) => {
    const { runContribute } = await import('./index.js');
    await runContribute(
      {
        ...base,
        skill: args[0]!,
        title: f.title,
        draft: Boolean(f.draft),
        dryRun: Boolean(f.dryRun),
        force: Boolean(f.force),
      },
      out,
    );
  },
});
