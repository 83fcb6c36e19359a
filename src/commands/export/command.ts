import { defineCommand, type FlagDefinition } from '../../cli-define.js';

export interface ExportSourceFlags {
  spine?: string;
  ref?: string;
  offline?: boolean;
}

const SOURCE_FLAGS: FlagDefinition[] = [
  {
    flags: '--spine <src>',
    description:
      "spine source: a path, a git URL, github:owner/repo or embedded (default: the spine repo here, else the team repo's locked spine)",
  },
  {
    flags: '--ref <ref>',
    description: 'tag, branch or commit of the spine (default: the locked commit, else the latest release)',
  },
  { flags: '--offline', description: 'use the cached spine only' },
];

const source = (f: ExportSourceFlags) => ({ spine: f.spine, ref: f.ref, offline: Boolean(f.offline) });

const managedSettingsCommand = defineCommand<
  ExportSourceFlags & { out?: string; strict?: boolean; pluginMarketplace?: string }
>({
  name: 'managed-settings',
  description: 'the locked guardrails as an enterprise managed-settings file (stdout, or --out)',
  flags: [
    ...SOURCE_FLAGS,
    { flags: '--out <file>', description: 'write the file here instead of stdout' },
    { flags: '--strict', description: 'also disable auto mode' },
    {
      flags: '--plugin-marketplace <src>',
      description:
        "enable the spine's plugin from where `spine export plugin` was published (github:owner/repo, a git URL, a directory), so its hooks keep the audit under allowManagedHooksOnly",
    },
  ],
  examples: [
    'spine export managed-settings --out managed-settings.json --strict',
    'spine export managed-settings --plugin-marketplace github:acme/spine-plugin',
  ],
  run: async ({ base, out, flags: f }) => {
    const { runExportManagedSettings } = await import('./managed-settings.js');
    await runExportManagedSettings(
      {
        ...base,
        ...source(f),
        out: f.out,
        strict: Boolean(f.strict),
        pluginMarketplace: f.pluginMarketplace,
      },
      out,
    );
  },
});

const pluginCommand = defineCommand<ExportSourceFlags>({
  name: 'plugin',
  description: "the spine's skills, agents, commands and hooks as a Claude Code plugin marketplace in <dir>",
  arguments: [{ syntax: '<dir>' }],
  flags: SOURCE_FLAGS,
  examples: ['spine export plugin ../acme-plugins --spine github:acme/spine'],
  run: async ({ base, out, flags: f, args }) => {
    const { runExportPlugin } = await import('./plugin.js');
    await runExportPlugin({ ...base, ...source(f), dir: args[0]! }, out);
  },
});

export const exportCommand = defineCommand({
  name: 'export',
  description: 'the spine in the forms Claude Code administers',
  subcommands: [managedSettingsCommand, pluginCommand],
});
