import type { Level } from '../../spine/model.js';
import type { ItemValue } from '../sandbox/settings-item.js';

/** What a spine version says a team repo must contain; computed purely from spine + team. */
export interface DesiredState {
  files: ManagedFile[];
  settings: SettingsEntry[];
  /** Body of the CLAUDE.md block, between the markers. */
  claudeBlock: string;
  /** Lines .gitignore must contain. */
  gitignore: string[];
}

export type ManagedKind =
  | 'skill'
  | 'agent'
  | 'command'
  | 'glossary'
  | 'hook'
  | 'policy'
  | 'workflow'
  | 'zones';

export interface ManagedFile {
  /** POSIX path relative to the repo root. */
  path: string;
  content: Buffer;
  kind: ManagedKind;
  /** The spine artifact it comes from, e.g. the skill name. */
  owner: string;
  /** Executable in the spine (a skill's script): written 0o755 and recorded in the lock. */
  executable?: true;
}

export type SettingsEntry =
  | RuleEntry
  | { kind: 'setting'; key: string; id: string; level: Level; path: string[]; value: string | boolean }
  | { kind: 'hook'; key: string; id: string; level: Level; event: string; value: HookGroup }
  | { kind: 'env'; key: string; id: string; level: Level; name: string; value: string }
  | ItemEntry;

/** One element of an array setting (e.g. a `sandbox.filesystem.denyRead` path), owned on its own. */
export interface ItemEntry {
  kind: 'item';
  key: string;
  id: string;
  level: Level;
  path: string[];
  value: ItemValue;
}

export interface RuleEntry {
  kind: 'rule';
  key: string;
  id: string;
  level: Level;
  list: 'deny' | 'ask' | 'allow';
  value: string;
}

export interface HookGroup {
  matcher?: string;
  hooks: { type: 'command'; command: string; timeout: number; async?: boolean }[];
}

/** Where the hook's files live in a team repo. */
export const HOOK_DIR = '.claude/hooks';
/** The file every hook command runs (src/hooks/entry.ts). */
export const HOOK_SCRIPT = '.claude/hooks/spine-hook.cjs';
/**
 * The hook's files as the tool ships them (dist/hooks), in the order they are written: the entry
 * the client runs; the guard's code it loads through the code cache (src/hooks/main.ts); and every
 * event that never blocks (transcript, session summary, exporter; src/hooks/session.ts), loaded
 * only for those, so a tool call is decided without compiling it.
 */
export const HOOK_FILE_NAMES = ['spine-hook.cjs', 'spine-hook-guard.cjs', 'spine-hook-session.cjs'] as const;

/** One of the hook's files, as built. */
export interface HookFile {
  name: (typeof HOOK_FILE_NAMES)[number];
  content: Buffer;
}
/**
 * The hook script of releases that shipped it as an ES module. node starts its ES module loader
 * for a .mjs file before the first line runs, about a fifth of a bare start on every tool call;
 * `doctor --fix` and `update` move a repository to the .cjs file and remove this one.
 */
export const LEGACY_HOOK_SCRIPT = '.claude/hooks/spine-hook.mjs';

/** Whether a hook command runs spine's hook script, today's or an earlier release's. */
export function runsSpineHook(command: unknown): boolean {
  return (
    typeof command === 'string' && (command.includes(HOOK_SCRIPT) || command.includes(LEGACY_HOOK_SCRIPT))
  );
}
export const HOOK_POLICY = '.claude/hooks/spine-policy.json';
export const GLOSSARY_FILE = '.claude/spine/GLOSSARY.md';
export const LOCK_FILE = '.spine/lock.json';
export const LOCAL_FILE = '.spine/local.yaml';
export const SETTINGS_FILE = '.claude/settings.json';
export const LOCAL_SETTINGS_FILE = '.claude/settings.local.json';
export const CLAUDE_MD = 'CLAUDE.md';
/** The managed GitHub Actions workflow of `spine init --ci github`: the one managed path outside .claude/. */
export const CI_WORKFLOW = '.github/workflows/spine.yml';
