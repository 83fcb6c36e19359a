import { describe, expect, it } from 'vitest';
import {
  LAUNCHER_HOME_PATHS,
  launcherPathProblem,
  launcherPlaceOf,
  launcherPlacesIn,
} from '../../src/core/sandbox/launcher-paths.js';

/** A toolchain write over a launcher directory or spine's store needs the spine's own deny there. */
const ALL_DENIED = LAUNCHER_HOME_PATHS.map(([p]) => p);

describe('launcherPathProblem', () => {
  it.each([
    ['~/.cache', 'it holds ~/.cache/node/corepack'],
    ['~/.cache/', 'it holds ~/.cache/node/corepack'],
    ['~/.cache/node', 'it holds ~/.cache/node/corepack'],
    ['~/.cache/node/corepack', 'it is ~/.cache/node/corepack'],
    ['~/.cache/node/corepack/v1', 'it lies inside ~/.cache/node/corepack'],
    ['~/.npm', 'it holds ~/.npm/_npx'],
    ['~/.cache/pre-commit', 'it is ~/.cache/pre-commit'],
    ['~/.cache/spine', 'it is ~/.cache/spine'],
    ['~/.local/state', 'it holds ~/.local/state/spine'],
    ['~/.local', 'it holds ~/.local/state/spine'],
  ])('refuses %s without a deny', (path, why) => {
    expect(launcherPathProblem(path, [])).toMatch(new RegExp(`^${why.replace(/[.*/]/g, '\\$&')} \\(`));
  });

  it('names the place no locked guardrail denies', () => {
    expect(launcherPathProblem('~/.cache', ['~/.cache/node/corepack', '~/.cache/pre-commit'])).toBe(
      "it holds ~/.cache/spine (spine's cached spine clones and memo, which the next spine update trusts) and no locked guardrail of the spine denies writes to ~/.cache/spine",
    );
  });

  it('accepts a write whose launcher places are all denied, by the place or a directory holding it', () => {
    expect(launcherPathProblem('~/.cache', ALL_DENIED)).toBeUndefined();
    expect(launcherPathProblem('~/.npm', ['~/.npm/_npx/'])).toBeUndefined();
    expect(launcherPathProblem('~/.cache', ['~/.cache'])).toBeUndefined();
    expect(launcherPathProblem('~/.cache/node/corepack/v1', ['~/.cache/node'])).toBeUndefined();
  });

  it('a deny with a wildcard or outside the home form denies nothing here', () => {
    expect(launcherPathProblem('~/.npm', ['~/.npm/_np*'])).toMatch(/holds ~\/\.npm\/_npx/);
    expect(launcherPathProblem('~/.npm', ['//home/me/.npm/_npx'])).toMatch(/holds ~\/\.npm\/_npx/);
    // A deny inside the place does not cover the place.
    expect(launcherPathProblem('~/.npm', ['~/.npm/_npx/abc'])).toMatch(/holds ~\/\.npm\/_npx/);
  });

  it('leaves unrelated caches and look-alike names alone', () => {
    for (const path of [
      '~/.cache/pip',
      '~/.npm-global',
      '~/.cache/spine-other',
      '~/.cache/nodejs',
      '~/.local/share/uv',
    ])
      expect(launcherPathProblem(path, []), path).toBeUndefined();
  });
});

describe('launcherPlaceOf and launcherPlacesIn', () => {
  it('finds the place a path is or lies inside, and the places a path holds', () => {
    expect(launcherPlaceOf('~/.npm/_npx/1a2b/')?.place).toBe('~/.npm/_npx');
    expect(launcherPlaceOf('~/.cache/pre-commit')?.place).toBe('~/.cache/pre-commit');
    expect(launcherPlaceOf('~/.npm')).toBeUndefined();
    expect(launcherPlaceOf('~/.npm/_npxx')).toBeUndefined();
    expect(launcherPlacesIn('~/.cache')).toEqual([
      '~/.cache/node/corepack',
      '~/.cache/pre-commit',
      '~/.cache/spine',
    ]);
    expect(launcherPlacesIn('~/.cache/pre-commit')).toEqual([]);
    expect(launcherPlacesIn('~/.cache/pip')).toEqual([]);
  });
});
