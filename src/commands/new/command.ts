import { defineCommand } from '../../cli-define.js';
import { UserError } from '../../errors.js';

export interface NewFlags {
  name?: string;
  owners?: string[];
  fromEmbedded?: boolean;
  empty?: boolean;
  release?: boolean;
}

export const newCommand = defineCommand<NewFlags>({
  name: 'new',
  description: 'start a spine repository: spine files, CHANGELOG, README, a CI workflow, a first commit',
  arguments: [{ syntax: '[dir]' }],
  flags: [
    { flags: '--name <name>', description: "the spine's name, kebab-case (default: the directory's name)" },
    { flags: '--owners <handles...>', description: 'owners of the spine (default: @platform-team)' },
    { flags: '--from-embedded', description: 'start from the embedded spine (the default)' },
    { flags: '--empty', description: 'start from nothing: a manifest, no guardrails, skills or terms' },
    { flags: '--release', description: 'tag the first commit as release v0.1.0' },
    { flags: '-y, --yes', description: 'never prompt; use defaults' },
  ],
  examples: ['spine new acme-spine --owners @acme/platform', 'spine new acme-spine --empty --release'],
  run: async ({ base, out, flags: f, args }) => {
    if (f.fromEmbedded && f.empty) {
      throw new UserError('spine new takes one of --from-embedded or --empty, not both');
    }
    const { runNew } = await import('./index.js');
    await runNew(
      {
        ...base,
        dir: args[0],
        name: f.name,
        owners: f.owners,
        start: f.empty ? 'empty' : f.fromEmbedded ? 'embedded' : undefined,
        release: f.release,
      },
      out,
    );
  },
});
