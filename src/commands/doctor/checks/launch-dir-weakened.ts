import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type Check, describeEntry, finding } from '../check.js';

/** A locked guardrail a launch directory's settings weaken, judged as at the root (locked-rule-overridden). */
export const launchDirWeakened: Check = {
  code: 'launch-dir-weakened',
  check: (ctx) =>
    ctx.launchDirs.flatMap((d) =>
      d.weakened
        .filter(({ entry }) => entry.level === 'locked')
        .map(({ entry, state }) => {
          const how =
            state.state === 'allowed'
              ? 'turned into an allow rule'
              : state.state === 'demoted'
                ? 'weakened from deny to ask'
                : `changed to ${JSON.stringify(state.value)}`;
          const file = 'where' in state ? state.where[0]!.file : state.file;
          return finding(
            'launch-dir-weakened',
            'error',
            'settings',
            file,
            `${d.path}: locked ${describeEntry(entry)} (${entry.id}) was ${how}`,
            state.state === 'changed'
              ? `put the spine's value back in ${file}`
              : `spine doctor --fix re-adds it to ${d.path}/${SETTINGS_FILE}; remove the weaker rule yourself`,
            { guardrail: entry.id, entry: entry.key },
          );
        }),
    ),
  fix: (f) => {
    const dir = /^(.*)\/\.claude\/settings(\.local)?\.json$/.exec(f.path)?.[1];
    return dir ? [{ kind: 'guard-launch-dir', path: dir }] : [];
  },
};
