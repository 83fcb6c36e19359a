import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';

// On Node ≥ 22.1 the launcher turns on Node's compile cache. Its default place is under the temp
// directory, which the sandbox lets the agent write: compiled code planted there would run as
// the person, outside the sandbox. The launcher must name spine's own cache directory instead.
// Node 20 has no enableCompileCache, so a preload module stands one in and records its argument.

const BIN = fileURLToPath(new URL('../../bin/spine.js', import.meta.url));

function launch(env: NodeJS.ProcessEnv): string | undefined {
  const dir = tempDir();
  const record = join(dir, 'compile-cache-dir');
  const preload = join(dir, 'preload.mjs');
  writeFileSync(
    preload,
    `import module from 'node:module';\nimport { writeFileSync } from 'node:fs';\n` +
      `module.enableCompileCache = (d) => { writeFileSync(${JSON.stringify(record)}, String(d)); };\n`,
  );
  const run = spawnSync(process.execPath, ['--import', preload, BIN, 'docs'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  try {
    return readFileSync(record, 'utf8');
  } catch {
    return undefined;
  }
}

describe('the launcher keeps compiled code in spine’s cache directory', () => {
  it('under ~/.cache/spine, never the temp directory', () => {
    const home = tempDir();
    expect(launch({ HOME: home })).toBe(join(home, '.cache', 'spine', 'compile-cache'));
    expect(launch({ HOME: home, XDG_CACHE_HOME: `${home}/.cache/` })).toBe(
      join(home, '.cache', 'spine', 'compile-cache'),
    );
  });

  it('nowhere when XDG_CACHE_HOME points elsewhere: the rendered sandbox denies only ~/.cache/spine', () => {
    expect(launch({ HOME: tempDir(), XDG_CACHE_HOME: tempDir() })).toBeUndefined();
  });
});
