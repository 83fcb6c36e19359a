import { describe, expect, it } from 'vitest';
import { frictionAction, frictionRows } from '../../src/core/report/friction.js';

/** The spine change the report names for a class of refused writes. */
function rowFor(cls: string) {
  const state = new Map([[`sandbox:write:${cls}`, { hits: 3, teams: new Map([['alpha', 3]]) }]]);
  const [row] = frictionRows(state);
  return { change: row!.change, action: frictionAction(row!) };
}

describe('friction on refused writes', () => {
  it('an ordinary cache: add it to a toolchain group', () => {
    const { change, action } = rowFor('~/.cache/pip');
    expect(action).toBe('add to the toolchain group');
    expect(change).toMatch(/^add "~\/\.cache\/pip" to the write list of the toolchain group/);
    expect(change).not.toContain('on purpose');
  });

  it('a launcher directory or spine store: read-only on purpose, with what a person does instead', () => {
    const preCommit = rowFor('~/.cache/pre-commit');
    expect(preCommit.action).toBe('read-only on purpose');
    expect(preCommit.change).toBe(
      '~/.cache/pre-commit holds pre-commit\'s hook environments, which "git commit" runs outside the sandbox: the spine keeps it read-only for the agent whatever a toolchain group opens (docs/sandbox.md); a person runs "pre-commit install-hooks" once outside the agent',
    );
    expect(preCommit.change).not.toContain('write list');
    const store = rowFor('~/.cache/spine');
    expect(store.action).toBe('read-only on purpose');
    expect(store.change).toMatch(/^~\/\.cache\/spine holds spine's cached spine clones .*nothing to open$/);
  });

  it('a directory holding one: add it, and say the launcher inside stays refused', () => {
    for (const [cls, inside] of [
      ['~/.npm', '~/.npm/_npx'],
      ['~/.cache/node', '~/.cache/node/corepack'],
    ] as const) {
      const { change, action } = rowFor(cls);
      expect(action, cls).toBe('add to the toolchain group');
      expect(change, cls).toMatch(new RegExp(`^add "${cls.replace(/[.]/g, '\\.')}" to the write list`));
      expect(change, cls).toContain(`writes into ${inside} stay refused on purpose`);
    }
  });
});
