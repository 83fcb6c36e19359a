import type { SettingsEntry } from '../render/desired-state.js';
import { ruleKey } from '../render/settings-entries.js';
import { itemKey } from '../sandbox/settings-item.js';

/**
 * The spine's settings entries as they must be written in `<dir>/.claude/settings.json` to cover
 * the same files as the root's when Claude Code is started in `<dir>`: the client reads project
 * settings only from its launch directory and anchors paths there (verified forms: the table in
 * docs/monorepos.md). Pure; every entry kind passes through here, so a new kind of path needs a
 * line below and nothing else.
 *
 * - Read/Edit path rules (deny, ask): `..` is not understood in permission rules, so a
 *   repo-relative glob becomes `//**\/<glob>` — every such path on the machine, the repo's included
 *   (a superset: a deny covers at least what it did at the root). `//abs` and `~/` stay.
 * - allow path rules: only what stays inside the launch directory (never wider than at the root).
 * - sandbox.filesystem paths: the sandbox understands `..`, so `**\/x` becomes `../../**\/x`.
 * - the hook command runs the root's script: `$CLAUDE_PROJECT_DIR/../../.claude/hooks/…`.
 */
export function rebaseEntries(entries: readonly SettingsEntry[], dir: string): SettingsEntry[] {
  const up = dir
    .split('/')
    .filter(Boolean)
    .map(() => '..')
    .join('/');
  const out: SettingsEntry[] = [];
  for (const entry of entries) {
    const rebased = rebaseEntry(entry, dir, up);
    if (rebased) out.push(rebased);
  }
  return out;
}

/**
 * rebaseEntries with one entry per key: two root entries can rebase to one
 * (`Read(.env)` and `Read(**\/.env)` both to `Read(//**\/.env)`).
 */
export function rebaseUnique(entries: readonly SettingsEntry[], dir: string): SettingsEntry[] {
  const byKey = new Map<string, SettingsEntry>();
  for (const e of rebaseEntries(entries, dir)) if (!byKey.has(e.key)) byKey.set(e.key, e);
  return [...byKey.values()];
}

const PATH_TOOLS = new Set(['Read', 'Edit', 'Write', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep']);
const RULE = /^([A-Za-z]+)\((.*)\)$/s;

function rebaseEntry(entry: SettingsEntry, dir: string, up: string): SettingsEntry | undefined {
  switch (entry.kind) {
    case 'rule': {
      const m = RULE.exec(entry.value);
      if (!m || !PATH_TOOLS.has(m[1]!)) return entry;
      const path = entry.list === 'allow' ? allowPath(m[2]!, dir) : denyPath(m[2]!);
      if (path === undefined) return undefined;
      const value = `${m[1]}(${path})`;
      return { ...entry, value, key: ruleKey(entry.list, value) };
    }
    case 'hook': {
      const hooks = entry.value.hooks.map((h) => ({
        ...h,
        command: h.command.replaceAll('$CLAUDE_PROJECT_DIR/.claude/', `$CLAUDE_PROJECT_DIR/${up}/.claude/`),
      }));
      return { ...entry, value: { ...entry.value, hooks } };
    }
    case 'item': {
      if (entry.path[0] !== 'sandbox' || entry.path[1] !== 'filesystem' || typeof entry.value !== 'string') {
        return entry;
      }
      const value = sandboxPath(entry.value, up);
      return { ...entry, value, key: itemKey(entry.path, value) };
    }
    default:
      return entry;
  }
}

/** A rule path read from the launch directory that covers at least the root's files. */
export function denyPath(path: string): string {
  if (path.startsWith('//') || path === '~' || path.startsWith('~/')) return path;
  const rel = path
    .replace(/^\/+/, '')
    .replace(/^(\.\/)+/, '')
    .replace(/^(\*\*\/)+/, '');
  return `//**/${rel}`;
}

/** An allow rule path read from the launch directory: the part of it inside the directory, if any. */
function allowPath(path: string, dir: string): string | undefined {
  if (path.startsWith('//') || path.startsWith('~/') || path.startsWith('**/')) return path;
  const rel = path.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  return rel.startsWith(`${dir}/`) ? `/${rel.slice(dir.length + 1)}` : undefined;
}

/** A sandbox path read from the launch directory that names the root's files exactly. */
export function sandboxPath(path: string, up: string): string {
  if (path.startsWith('//') || path === '~' || path.startsWith('~/')) return path;
  // One leading slash is relative to the settings file's directory, the root's `.claude/`.
  if (path.startsWith('/')) return `${up}/.claude${path}`;
  return `${up}/${path.replace(/^(\.\/)+/, '')}`;
}
