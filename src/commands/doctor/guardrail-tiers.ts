import type { SettingsEntry } from '../../core/render/desired-state.js';
import type { ManagedSettingsOnMachine } from '../../io/managed-settings.js';

/**
 * Which settings tier holds each guardrail on this machine. Project settings apply only where the
 * client is launched (docs/monorepos.md) and are in the agent's reach; managed settings apply in
 * every directory and to every repository. A guardrail whose every entry managed settings also
 * carry holds wherever the agent starts. Entries are compared as written: a managed rule spelled
 * differently (`Read(//**\/.env)` for `Read(**\/.env)`) is not counted, so `some`/`none` can
 * understate, never overstate, what managed settings hold. Hook entries are not compared: under
 * managed settings spine's hooks come from its plugin (managed-hooks-only).
 */
export interface GuardrailTiers {
  /** The managed settings files read, base first; empty when the machine has none. */
  managedFiles: string[];
  /** Per guardrail id: how many of its entries managed settings also carry. */
  guardrails: { id: string; managed: 'all' | 'some' | 'none' }[];
  /** The same in one line, for the terminal. */
  line: string;
}

export function guardrailTiers(
  entries: readonly SettingsEntry[],
  managed: ManagedSettingsOnMachine | undefined,
): GuardrailTiers {
  const byId = new Map<string, { held: number; total: number }>();
  for (const entry of entries) {
    if (entry.kind === 'hook') continue;
    const t = byId.get(entry.id) ?? { held: 0, total: 0 };
    byId.set(entry.id, t);
    t.total++;
    if (managed && managedCarries(managed.settings, entry)) t.held++;
  }
  const guardrails = [...byId]
    .map(([id, t]) => ({
      id,
      managed: t.held === t.total ? ('all' as const) : t.held > 0 ? ('some' as const) : ('none' as const),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const managedFiles = managed?.files ?? [];
  return { managedFiles, guardrails, line: tiersLine(managedFiles, guardrails) };
}

/** One line for the machine summary: what managed settings hold, or that nothing does. */
function tiersLine(managedFiles: string[], guardrails: GuardrailTiers['guardrails']): string {
  const all = guardrails.filter((g) => g.managed === 'all').length;
  const some = guardrails.filter((g) => g.managed === 'some').length;
  if (managedFiles.length === 0)
    return 'guardrails: no managed settings here, so every one rests on the project settings of the directory the client starts in';
  return `guardrails: managed settings hold ${all} of ${guardrails.length} in every directory${
    some ? ` (${some} more in part)` : ''
  }; the others only in project settings`;
}

function managedCarries(settings: Record<string, unknown>, entry: SettingsEntry): boolean {
  switch (entry.kind) {
    case 'rule':
      return listAt(settings, ['permissions', entry.list]).includes(entry.value);
    case 'setting':
      return at(settings, entry.path) === entry.value;
    case 'item': {
      const want = JSON.stringify(entry.value);
      return listAt(settings, entry.path).some((v) => JSON.stringify(v) === want);
    }
    case 'env':
      return at(settings, ['env', entry.name]) === entry.value;
    default:
      return false;
  }
}

function at(value: unknown, path: readonly string[]): unknown {
  let here = value;
  for (const key of path) {
    if (!here || typeof here !== 'object' || Array.isArray(here)) return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function listAt(value: unknown, path: readonly string[]): unknown[] {
  const list = at(value, path);
  return Array.isArray(list) ? list : [];
}
