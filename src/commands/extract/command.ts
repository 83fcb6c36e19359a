import { defineCommand } from '../../cli-define.js';

export interface ExtractFlags {
  into: string;
  team?: string;
  includeAllow?: boolean;
  interactive?: boolean;
  dryRun?: boolean;
  report?: string;
  offline?: boolean;
}

export const extractCommand = defineCommand<ExtractFlags>({
  name: 'extract',
  description:
    'propose the shared layer from pioneer team repos: guardrails, skills, agents, commands, terms',
  arguments: [{ syntax: '<pioneers...>' }],
  flags: [
    {
      flags: '--into <spine>',
      description: 'the spine directory the proposal lands in (a branch when it is a git repo)',
      required: true,
    },
    {
      flags: '--team <name>',
      description: "the pioneer's team name (one pioneer; default: the repo's directory name)",
    },
    { flags: '--include-allow', description: "also propose the pioneers' allow rules" },
    { flags: '--interactive', description: 'tick what to take' },
    { flags: '--dry-run', description: 'print the report and write nothing' },
    { flags: '--report <file>', description: 'also write the Markdown report to <file>' },
    { flags: '--offline', description: 'use cached copies of remote pioneers only' },
  ],
  examples: [
    'spine extract ../payments --into ../acme-spine --dry-run',
    'spine extract ../payments ../search --into ../acme-spine --report extract.md',
  ],
  run: async ({ base, out, flags: f, args }) => {
    const { runExtract } = await import('./index.js');
    await runExtract(
      {
        ...base,
        pioneers: args,
        into: f.into,
        team: f.team,
        includeAllow: Boolean(f.includeAllow),
        pick: Boolean(f.interactive),
        dryRun: Boolean(f.dryRun),
        report: f.report,
        offline: Boolean(f.offline),
      },
      out,
    );
  },
});
