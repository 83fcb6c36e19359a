import { defineCommand, type FlagDefinition, nonEmpty, positiveInt } from '../../cli-define.js';
import { UserError } from '../../errors.js';
import type { BaseOptions } from '../../options.js';

export interface RolloutFlags {
  fromFile?: string;
  org?: string;
  match?: string[];
  topic?: string[];
  property?: string[];
  to?: string;
  offline?: boolean;
  concurrency?: string;
}

const ROLLOUT_FLAGS: FlagDefinition[] = [
  { flags: '--from-file <file>', description: 'read repositories from a file, one per line (# comments)' },
  { flags: '--org <forge:org>', description: 'every repository of github:<org> or gitlab:<group>' },
  { flags: '--match <glob...>', description: 'with --org: only repositories whose name matches a glob' },
  { flags: '--topic <topic...>', description: 'with --org: only repositories carrying one of these topics' },
  {
    flags: '--property <name=value...>',
    description: 'with --org github:…: only repositories with these custom property values (all of them)',
  },
  { flags: '--to <ref>', description: 'the release to move to (default: the latest release)' },
  { flags: '--offline', description: 'use the cached spine only' },
  { flags: '--concurrency <n>', description: 'repositories handled at once (default 4)' },
];

function rolloutOptions(base: BaseOptions, f: RolloutFlags, repos: string[]) {
  return {
    ...base,
    repos,
    fromFile: nonEmpty(f.fromFile, '--from-file'),
    org: f.org,
    match: f.match ?? [],
    topics: f.topic ?? [],
    properties: f.property ?? [],
    to: f.to,
    offline: Boolean(f.offline),
    concurrency: positiveInt(f.concurrency, '--concurrency') ?? 4,
  };
}

const rolloutStatusCommand = defineCommand<RolloutFlags & { html?: string }>({
  name: 'status',
  description: 'where each repository stands: done, request open, conflicted, declined, not started',
  arguments: [{ syntax: '[repos...]', description: 'paths, git URLs or github:owner/name' }],
  flags: [
    ...ROLLOUT_FLAGS,
    { flags: '--html <file>', description: 'also write the release page: burndown and every repository' },
  ],
  examples: [
    'spine rollout status --from-file teams.txt',
    'spine rollout status --org github:acme --json',
    'spine rollout status --from-file teams.txt --html release.html',
  ],
  run: async ({ base, out, flags: f, args }) => {
    const { runRolloutStatus } = await import('./status.js');
    await runRolloutStatus({ ...rolloutOptions(base, f, args), html: nonEmpty(f.html, '--html') }, out);
  },
});

export const rolloutCommand = defineCommand<
  RolloutFlags & { publish?: boolean; onboard?: boolean; spine?: string }
>({
  name: 'rollout',
  description: 'move a fleet of team repos to a spine release: preview, then one update request each',
  arguments: [
    {
      syntax: '[repos...]',
      description: 'paths, git URLs or github:owner/name (a URL may be followed by its forge name)',
    },
  ],
  flags: [
    ...ROLLOUT_FLAGS,
    {
      flags: '--publish',
      description: 'push a branch and open or refresh an update request per repository',
    },
    {
      flags: '--onboard',
      description: 'also open an onboarding request (spine init) where a repository has no spine',
    },
    { flags: '--spine <source>', description: 'with --onboard: the spine to onboard to (URL or path)' },
  ],
  // `rollout status --from-file x`: the flags after `status` are the subcommand's own.
  positionalOptions: true,
  examples: [
    'spine rollout --from-file teams.txt',
    'spine rollout --org github:acme --match "pay-*" --to v1.4.0 --publish',
    'spine rollout --org github:acme --onboard --spine https://github.com/acme/spine.git --publish',
  ],
  run: async ({ base, out, flags: f, args }) => {
    const spine = nonEmpty(f.spine, '--spine');
    if (f.onboard && !spine)
      throw new UserError('--onboard needs --spine <source>: the spine to onboard repositories to');
    if (spine && !f.onboard) throw new UserError('--spine goes with --onboard (an update follows each lock)');
    const { runRollout } = await import('./index.js');
    await runRollout(
      {
        ...rolloutOptions(base, f, args),
        publish: Boolean(f.publish),
        ...(f.onboard ? { onboard: spine } : {}),
      },
      out,
    );
  },
  subcommands: [rolloutStatusCommand],
});
