import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir, type Tree } from '../helpers/gitdir.js';
import { bash, dailySession } from '../helpers/scripted-session.js';

// spine keeps its cached spine clones and its memo under ~/.cache/spine, and toolchain-cache opens
// ~/.cache to every sandboxed command; a forged memo entry or a rewritten clone would be trusted
// by the next `spine update` or `doctor --fix` a person runs. The locked spine-stores-read-only
// guardrail denies writes there (and to ~/.local/state/spine). Sessions run with the sandbox on,
// spine's default groups, and a home under /var/tmp (/tmp is writable inside the sandbox).

const CALLS = [
  bash(
    'mkdir -p ~/.cache/spine/memo/lock && echo {} > ~/.cache/spine/memo/lock/forged.json && echo done-$((1*111))',
    'memo',
  ),
  bash('ln -s /usr/share ~/.cache/spine/clone-link && echo done-$((2*111))', 'link'),
  bash('mkdir -p ~/.local/state/spine/repos && echo done-$((3*111))', 'state'),
  bash('mkdir -p ~/.cache/pip/http && echo ok > ~/.cache/pip/http/wheel && echo done-$((4*111))', 'pip'),
  // Launchers inside the writable caches (cache-launchers-read-only): what corepack's shim and
  // `npx <pkg>` run later, outside the sandbox. ~/.npm itself stays writable for npm ci.
  bash(
    'mkdir -p ~/.cache/node/corepack/v1/pnpm && echo planted > ~/.cache/node/corepack/v1/pnpm/pnpm && echo done-$((5*111))',
    'corepack',
  ),
  bash('mkdir -p ~/.npm/_npx/x && echo planted > ~/.npm/_npx/x/cli && echo done-$((6*111))', 'npx'),
  bash('mkdir -p ~/.npm/_cacache && echo done-$((7*111))', 'npm'),
];
const STORE_CALLS = ['memo', 'link', 'state', 'corepack', 'npx'];

/** One session; `existing`: the stores already exist; `unguarded`: the guardrail's entries removed. */
const session = (home: Tree, unguarded: boolean) =>
  dailySession(gitdir({ 'README.md': '# app\n', 'package.json': '{}\n' }, 'spine-stores-'), CALLS, {
    team: 'web',
    groups: ['toolchain-npm', 'toolchain-cache'],
    toolchains: true,
    home,
    ...(unguarded
      ? {
          settings: (s: Record<string, any>) => {
            const before = s.sandbox.filesystem.denyWrite.length;
            s.sandbox.filesystem.denyWrite = s.sandbox.filesystem.denyWrite.filter(
              (p: string) => !p.startsWith('~/'),
            );
            expect(s.sandbox.filesystem.denyWrite.length).toBe(before - 5);
          },
        }
      : {}),
  });

describe("spine's stores outside the repository, from inside a sandboxed session", () => {
  it('are read-only to the agent whether or not they exist yet; ~/.cache stays writable; without the guardrail the memo is forged', async () => {
    const stores = {
      '.cache/spine/memo/.keep': '',
      '.local/state/spine/.keep': '',
      '.cache/node/corepack/.keep': '',
      '.npm/_npx/.keep': '',
    };
    const [existing, missing, unguarded] = await Promise.all([
      session(stores, false),
      session({}, false),
      session(stores, true),
    ]);
    for (const run of [existing, missing]) {
      for (const id of STORE_CALLS) {
        expect(run.failed(id), `${id}: ${run.result(id)}`).toBe(true);
        expect(run.result(id)).not.toMatch(/done-\d{3}/);
      }
      expect(run.failed('pip'), run.result('pip')).toBe(false);
      expect(run.result('pip')).toContain('done-444');
      expect(run.result('npm')).toContain('done-777');
    }
    expect(existing.result('memo')).toMatch(/Read-only file system/);
    // A store that does not exist is masked inside the sandbox; nothing is left on the host.
    expect(missing.result('memo')).toMatch(/Not a directory|Read-only file system/);
    const store = join(missing.home, '.cache/spine');
    for (const dir of [store, join(missing.home, '.cache/node/corepack'), join(missing.home, '.npm/_npx')]) {
      expect(!existsSync(dir) || lstatSync(dir).isDirectory(), `a masked ${dir} left on the host`).toBe(true);
    }
    expect(existsSync(join(existing.home, '.cache/node/corepack/v1/pnpm/pnpm'))).toBe(false);
    expect(existsSync(join(existing.home, '.npm/_npx/x/cli'))).toBe(false);
    expect(existsSync(join(existing.home, '.cache/spine/memo/lock/forged.json'))).toBe(false);

    // The control: the same session without the guardrail forges a memo entry and plants a link.
    expect(unguarded.result('memo')).toContain('done-111');
    expect(unguarded.result('link')).toContain('done-222');
    expect(unguarded.result('pip')).toContain('done-444');
    expect(unguarded.result('corepack')).toContain('done-555');
    expect(unguarded.result('npx')).toContain('done-666');
  }, 300_000);
});
