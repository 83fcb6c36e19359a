import { describe, expect, it } from 'vitest';
import { baseOptions } from '../../src/cli.js';

describe('flags → base options', () => {
  it.each([
    [{}, { HOME: '/h' }, true, { interactive: true, json: false, color: true, cacheDir: '/h/.cache/spine' }],
    [{ yes: true }, { HOME: '/h' }, true, { interactive: false }],
    [{}, { HOME: '/h', CI: 'true' }, true, { interactive: false }],
    [{}, { HOME: '/h' }, false, { interactive: false }],
    [{ json: true }, { HOME: '/h' }, true, { json: true, color: false }],
    [{ color: false }, { HOME: '/h' }, true, { color: false }],
    [{}, { HOME: '/h', NO_COLOR: '1' }, true, { color: false }],
    [{}, { HOME: '/h', XDG_CACHE_HOME: '/x' }, true, { cacheDir: '/x/spine' }],
    [{}, { HOME: '/h', FORCE_COLOR: '1' }, false, { color: true }],
    [{ cwd: '/tmp/r' }, { HOME: '/h' }, true, { cwd: '/tmp/r' }],
  ])('%j with %j (tty %s)', (flags, env, tty, expected) => {
    expect(baseOptions(flags, env, tty, tty)).toMatchObject(expected);
  });
});
