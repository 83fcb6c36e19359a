import { defineCommand } from '../../cli-define.js';

export interface InitFlags {
  spine?: string;
  ref?: string;
  team?: string;
  champion?: string;
  dryRun?: boolean;
  offline?: boolean;
  ci?: 'github';
}

export const initCommand = defineCommand<InitFlags>({
  name: 'init',
  description: 'onboard this repository onto a spine',
  flags: [
    {
      flags: '--spine <src>',
      description: 'spine source: a path, a git URL or github:owner/repo (default: the embedded spine)',
    },
    { flags: '--ref <ref>', description: 'tag, branch or commit of the spine (default: the latest release)' },
    { flags: '--team <name>', description: 'team name' },
    { flags: '--champion <handle>', description: "the team's spine champion" },
    { flags: '--offline', description: 'use the cached spine only' },
    { flags: '-y, --yes', description: 'never prompt; use defaults' },
    { flags: '--dry-run', description: 'print the plan and write nothing' },
    {
      flags: '--ci <forge>',
      description: 'also write a managed CI workflow (doctor + facts)',
      choices: ['github'],
    },
  ],
  examples: [
    'spine init --team payments --champion @alice',
    'spine init --spine github:acme/spine --ref v1.4.0 --team payments --ci github',
    'spine init --dry-run --yes',
  ],
  run: async ({ base, out, flags: f }) => {
    const { runInit } = await import('./index.js');
    await runInit(
      {
        ...base,
        spine: f.spine,
        ref: f.ref,
        team: f.team,
        champion: f.champion,
        dryRun: Boolean(f.dryRun),
        offline: Boolean(f.offline),
        ci: f.ci,
      },
      out,
    );
  },
});
