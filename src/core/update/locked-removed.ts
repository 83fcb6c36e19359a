import { type Problem, problem } from '../problems.js';
import { STAYS_REMOVED } from './settings-three-way.js';
import type { SettingsRow } from './types.js';

/** The settings entries the team removed that stay removed, one group per guardrail, in table order. */
export function staysRemovedByGuardrail(rows: SettingsRow[]): Map<string, SettingsRow[]> {
  const groups = new Map<string, SettingsRow[]>();
  for (const row of rows)
    if (row.note === STAYS_REMOVED) {
      const id = row.id ?? row.key;
      groups.set(id, [...(groups.get(id) ?? []), row]);
    }
  return groups;
}

/**
 * An update keeps what the team removed, but a locked guardrail is the spine's to decide: the
 * update still succeeds, and says once per guardrail that the repo runs without it.
 */
export function lockedStillRemoved(rows: SettingsRow[]): Problem[] {
  // Per settings file: the root's, then each launch directory's.
  return [...new Set(rows.map((r) => r.path))].flatMap((dir) =>
    [...staysRemovedByGuardrail(rows.filter((r) => r.path === dir))]
      .filter(([, group]) => group.some((r) => r.level === 'locked'))
      .map(([id, group]) =>
        problem(
          'locked-guardrail-removed',
          `locked guardrail ${id} stays removed (${group.length} ${group.length === 1 ? 'entry' : 'entries'}); restore it with spine doctor --fix`,
          { file: dir === undefined ? '.claude/settings.json' : `${dir}/.claude/settings.json` },
          'warning',
        ),
      ),
  );
}
