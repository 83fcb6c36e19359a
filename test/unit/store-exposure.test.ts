import { describe, expect, it } from 'vitest';
import { exposedStores, sandboxEntryPath } from '../../src/core/sandbox/store-exposure.js';

const HOME = '/home/p';
const PROJECT = '/work/app';
const cache = (dir: string) => ({ name: 'cache', dir, variable: 'XDG_CACHE_HOME' });
const w = (entry: string) => ({ entry, file: '.claude/settings.json' });
const exposed = (dir: string, allow: string[], deny: string[] = []) =>
  exposedStores({
    stores: [cache(dir)],
    allowWrite: allow.map(w),
    denyWrite: deny.map(w),
    home: HOME,
    projectDir: PROJECT,
  }).map((e) => e.allowedBy?.entry ?? 'project');

describe('sandboxEntryPath', () => {
  it('reads each path form as the client does', () => {
    expect(sandboxEntryPath('//tmp', HOME, PROJECT)).toBe('/tmp');
    expect(sandboxEntryPath('~/.cache', HOME, PROJECT)).toBe('/home/p/.cache');
    expect(sandboxEntryPath('~', HOME, PROJECT)).toBe('/home/p');
    expect(sandboxEntryPath('/x', HOME, PROJECT)).toBe('/work/app/.claude/x');
    expect(sandboxEntryPath('./x', HOME, PROJECT)).toBe('/work/app/x');
    expect(sandboxEntryPath('x/y', HOME, PROJECT)).toBe('/work/app/x/y');
    expect(sandboxEntryPath('~other/x', HOME, PROJECT)).toBeUndefined();
  });
});

describe('exposedStores', () => {
  it('a store under an allowed path and no denied one is exposed, named by the entry', () => {
    expect(exposed('/tmp/x/spine', ['//tmp', '~/.cache'])).toEqual(['//tmp']);
    expect(exposed('/home/p/.cache/spine', ['//tmp', '~/.cache'])).toEqual(['~/.cache']);
  });
  it('a deny inside the allowed path wins', () => {
    expect(exposed('/home/p/.cache/spine', ['~/.cache'], ['~/.cache/spine'])).toEqual([]);
    expect(exposed('/home/p/.cache/spine/memo', ['~/.cache'], ['~/.cache/spine'])).toEqual([]);
  });
  it('a path that only shares a prefix of characters is not covered', () => {
    expect(exposed('/tmpfoo/spine', ['//tmp'])).toEqual([]);
    expect(exposed('/home/p/.cache/spine2', ['~/.cache'], ['~/.cache/spine'])).toEqual(['~/.cache']);
  });
  it('the project directory is always writable; an allowed glob opens its prefix, a denied glob denies nothing', () => {
    expect(exposed('/work/app/.cache/spine', [])).toEqual(['project']);
    expect(exposed('/var/x/spine', ['//var/*/spine'])).toEqual(['//var/*/spine']);
    expect(exposed('/var/x/spine', ['//var'], ['//var/*'])).toEqual(['//var']);
  });
  it('a store nothing allows is not exposed', () => {
    expect(exposed('/var/tmp/c/spine', ['//tmp', '~/.cache'])).toEqual([]);
  });
});
