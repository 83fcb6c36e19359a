import type { Spine } from '../../spine/model.js';
import { ZONES_FILE, type ZoneMap, zoneMapFile } from '../zones/zone-map.js';
import { claudeBlockBody } from './claude-block.js';
import {
  CI_WORKFLOW,
  type DesiredState,
  GLOSSARY_FILE,
  HOOK_DIR,
  HOOK_POLICY,
  type HookFile,
  type ManagedFile,
} from './desired-state.js';
import { glossaryMarkdown } from './glossary-markdown.js';
import { hookPolicy } from './hook-policy.js';
import { settingsEntries } from './settings-entries.js';

export interface RenderInput {
  spine: Spine;
  team: string;
  /** Who and where, for telemetry's resource attributes: the champion and the repo id (host/path). */
  attribution?: { champion?: string; repo?: string };
  /** The hook runtime shipped with this version of the tool (HOOK_FILE_NAMES). */
  hookFiles: readonly HookFile[];
  /** The CI workflow, when the team asked for one (`init --ci github`; then recorded in the lock). */
  ciWorkflow?: Buffer;
  /** The toolchain groups this repo has enabled (enabledToolchains); none when absent. */
  toolchains?: readonly string[];
  /** The repo's team zones (.spine/local.yaml teams, CODEOWNERS), for the hook to label records. */
  zones?: ZoneMap;
}

/** Everything a spine version puts into a team repo. Pure: same input, same bytes. */
export function renderDesiredState({
  spine,
  team,
  attribution,
  hookFiles,
  ciWorkflow,
  toolchains,
  zones,
}: RenderInput): DesiredState {
  const files: ManagedFile[] = [];
  for (const skill of spine.skills) {
    for (const f of skill.files) {
      files.push({
        path: `.claude/${f.path}`,
        content: f.content,
        kind: 'skill',
        owner: skill.name,
        ...(f.executable ? { executable: true as const } : {}),
      });
    }
  }
  for (const agent of spine.agents) {
    files.push({
      path: `.claude/${agent.file.path}`,
      content: agent.file.content,
      kind: 'agent',
      owner: agent.name,
      ...(agent.file.executable ? { executable: true as const } : {}),
    });
  }
  for (const command of spine.commands) {
    files.push({
      path: `.claude/${command.file.path}`,
      content: command.file.content,
      kind: 'command',
      owner: command.name,
      ...(command.file.executable ? { executable: true as const } : {}),
    });
  }
  if (spine.glossary.length > 0) {
    const markdown = glossaryMarkdown(spine.glossary, spine.manifest.name, spine.manifest.version);
    files.push({ path: GLOSSARY_FILE, content: Buffer.from(markdown), kind: 'glossary', owner: 'glossary' });
  }
  const needsHook = Boolean(spine.audit || spine.secrets.guard);
  if (needsHook) {
    for (const hook of hookFiles)
      files.push({ path: `${HOOK_DIR}/${hook.name}`, content: hook.content, kind: 'hook', owner: 'hook' });
    const policy = `${JSON.stringify(hookPolicy(spine, toolchains), null, 2)}\n`;
    files.push({ path: HOOK_POLICY, content: Buffer.from(policy), kind: 'policy', owner: 'hook' });
    // The team's, not the spine's: it only labels records and never reaches a decision.
    if (zones) files.push({ path: ZONES_FILE, content: zoneMapFile(zones), kind: 'zones', owner: 'zones' });
  }
  if (ciWorkflow) files.push({ path: CI_WORKFLOW, content: ciWorkflow, kind: 'workflow', owner: 'ci' });
  for (const f of files) assertManagedPath(f.path);
  return {
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    settings: settingsEntries(spine, team, attribution, toolchains),
    claudeBlock: claudeBlockBody(spine),
    gitignore: spine.audit ? [`${spine.audit.dir.replace(/\/?$/, '/')}`] : [],
  };
}

/** Defence in depth: nothing a spine renders may land outside .claude/. */
export function assertManagedPath(path: string): void {
  if (path === CI_WORKFLOW) return;
  if (!path.startsWith('.claude/') || path.split('/').some((s) => s === '..' || s === '' || s === '.')) {
    throw new Error(`refusing to write outside .claude/: ${path}`);
  }
}
