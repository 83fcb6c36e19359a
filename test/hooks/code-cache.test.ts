import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { auditLines, hookEvent, onboardedRepo, runHook } from './run-hook.js';

/**
 * The hook runs its code through V8's code cache in ~/.cache/spine/code-cache (src/hooks/code-cache.ts).
 * Compiled code runs as the person, outside the sandbox: an entry is used only from a store that
 * is the person's own and no link, only when it holds exactly the file's source, and only under
 * the home directory's `.cache/spine`, which every rendered sandbox denies writes to.
 */

const GUARD = '.claude/hooks/spine-hook-guard.cjs';
const MAGIC = 'spine-code-cache-2\n';
let repo: string;

beforeAll(async () => {
  repo = await onboardedRepo();
});

/** The hook in `repo`, its home (and code cache) in `home`. */
function hookIn(home: string, payload: unknown, env: Record<string, string> = {}) {
  return runHook(repo, payload, repo, { HOME: home, XDG_CACHE_HOME: '', ...env });
}

const bash = (command: string) =>
  hookEvent(repo, 'PreToolUse', { tool_name: 'Bash', tool_input: { command }, tool_use_id: `t-${command}` });
const store = (home: string) => join(home, '.cache/spine/code-cache');
const entries = (home: string) => (existsSync(store(home)) ? readdirSync(store(home)).sort() : []);

/**
 * An entry that holds the guard's real source but code compiled from other source of the same
 * length, which writes `marker` when it runs: what someone who could write the store could plant.
 * Compiled by a plain node, as the hook runs: V8 refuses code compiled under other flags.
 */
function plantedEntry(marker: string): Buffer {
  const out = join(tempDir('spine-planted-'), 'entry');
  const compile = `
const { readFileSync, writeFileSync } = require('fs');
const { Script } = require('vm');
const [file, marker, out] = process.argv.slice(1);
const source = readFileSync(file);
const evil = "require('fs').writeFileSync(" + JSON.stringify(marker) + ", 'planted'); module.exports.hook = Function.prototype;";
// V8 checks the length in characters, and the guard's source has some beyond ASCII.
const padded = evil + '/*' + ' '.repeat(source.toString('utf8').length - evil.length - 4) + '*/';
const script = new Script('(function (exports, require, module, __filename, __dirname) {' + padded + '\\n})', { filename: file });
const length = Buffer.alloc(4);
length.writeUInt32LE(source.length);
const routes = Buffer.from('allow');
writeFileSync(out, Buffer.concat([Buffer.from(${JSON.stringify(MAGIC)}), length, source, Buffer.from([routes.length]), routes, script.createCachedData()]));
`;
  const result = spawnSync(process.execPath, ['-e', compile, join(repo, GUARD), marker, out], {
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(out);
}

describe('the code cache', () => {
  it('is written by the first event of a kind, used by the next, and written again for a route it does not cover', () => {
    const home = tempDir('spine-home-');
    expect(hookIn(home, bash('ls'))).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const written = entries(home);
    expect(written).toEqual([
      expect.stringMatching(/^spine-hook-guard\.cjs-[0-9a-f]{16}-\d+-PreToolUse\.Bash-v\d+/),
    ]);
    const entry = join(store(home), written[0]!);
    expect(statSync(entry).mode & 0o777).toBe(0o600);
    expect(statSync(store(home)).mode & 0o777).toBe(0o700);
    const { ino } = statSync(entry);
    // Used, not written again, by a call that takes the same route through the code.
    expect(hookIn(home, bash('git status')).code).toBe(0);
    expect(statSync(entry).ino).toBe(ino);
    // A denied call runs other code: the entry is written once more, with the code of both routes.
    const denied = hookIn(home, bash('cat .env'));
    expect(JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const both = statSync(entry);
    expect(both.ino).not.toBe(ino);
    expect(entries(home)).toEqual(written);
    expect(hookIn(home, bash('cat .env.local')).code).toBe(0);
    expect(hookIn(home, bash('ls -la')).code).toBe(0);
    expect(statSync(entry).ino).toBe(both.ino);
    // Another kind of event has its own entry: a Stop compiles other code (and the third file).
    expect(hookIn(home, hookEvent(repo, 'Stop', {})).code).toBe(0);
    expect(entries(home).map((e) => e.split('-').slice(0, 6).join('-'))).toEqual([
      expect.stringMatching(/^spine-hook-guard\.cjs-[0-9a-f]{16}-\d+-PreToolUse\.Bash$/),
      expect.stringMatching(/^spine-hook-guard\.cjs-[0-9a-f]{16}-\d+-Stop$/),
      expect.stringMatching(/^spine-hook-session\.cjs-[0-9a-f]{16}-\d+-Stop$/),
    ]);
    expect(auditLines(repo).map((r) => r.tool_use_id)).toEqual(
      expect.arrayContaining(['t-ls', 't-cat .env']),
    );
  });

  it('runs planted code from a trusted store (the control), and never from one it cannot trust', () => {
    const cases: [string, (home: string, entry: string) => void][] = [
      ['an entry others may write', (_home, entry) => chmodSync(entry, 0o666)],
      [
        'a store that is a link',
        (home) => {
          renameSync(store(home), `${store(home)}-real`);
          symlinkSync(`${store(home)}-real`, store(home));
        },
      ],
      ['a store every user may write', (home) => chmodSync(store(home), 0o777)],
      [
        'an entry that is a link',
        (_home, entry) => {
          renameSync(entry, `${entry}-real`);
          symlinkSync(`${entry}-real`, entry);
        },
      ],
    ];
    const plant = (label: string, spoil?: (home: string, entry: string) => void) => {
      const home = tempDir('spine-home-');
      expect(hookIn(home, bash('ls')).code).toBe(0);
      const [name] = entries(home);
      const entry = join(store(home), name!);
      const marker = join(tempDir('spine-marker-'), 'ran');
      writeFileSync(entry, plantedEntry(marker), { mode: 0o600 });
      spoil?.(home, entry);
      const run = hookIn(home, bash('cat .env'));
      return { label, ran: existsSync(marker), run };
    };
    // The control: in the person's own store, an entry with the file's source is believed. This is
    // why the store must be one the agent cannot write.
    expect(plant('trusted').ran).toBe(true);
    for (const [label, spoil] of cases) {
      const { ran, run } = plant(label, spoil);
      expect({ label, ran }).toEqual({ label, ran: false });
      expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    }
  });

  it('uses no entry made from other source: an edited file runs as edited', () => {
    const home = tempDir('spine-home-');
    expect(hookIn(home, bash('ls')).code).toBe(0);
    const [name] = entries(home);
    const entry = join(store(home), name!);
    const marker = join(tempDir('spine-marker-'), 'ran');
    const planted = plantedEntry(marker);
    // The same planted code, recorded against source one byte different from the file's.
    const at = MAGIC.length + 4 + 100;
    planted[at] = planted[at] === 0x20 ? 0x21 : 0x20;
    writeFileSync(entry, planted, { mode: 0o600 });
    const run = hookIn(home, bash('cat .env'));
    expect(existsSync(marker)).toBe(false);
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    // And the entry is written again from the file's own code.
    expect(readFileSync(entry).subarray(MAGIC.length + 4, at + 1)).toEqual(
      readFileSync(join(repo, GUARD)).subarray(0, 101),
    );
  });

  it('keeps no cache where XDG_CACHE_HOME points away from ~/.cache: the sandbox denies only ~/.cache/spine', () => {
    const home = tempDir('spine-home-');
    const elsewhere = tempDir('spine-xdg-');
    expect(hookIn(home, bash('ls'), { XDG_CACHE_HOME: elsewhere }).code).toBe(0);
    expect(entries(home)).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([]);
    // Pointing at ~/.cache itself is the default place.
    expect(hookIn(home, bash('ls'), { XDG_CACHE_HOME: `${home}/.cache/` }).code).toBe(0);
    expect(entries(home)).toHaveLength(1);
  });

  it('decides alike when the store cannot be written', () => {
    const home = tempDir('spine-home-');
    mkdirSync(join(home, '.cache'), { recursive: true });
    writeFileSync(join(home, '.cache/spine'), 'not a directory');
    const run = hookIn(home, bash('cat .env'));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    rmSync(join(home, '.cache/spine'));
  });
});

describe('without the guard file', () => {
  it('blocks tool calls with exit 2 and says why; never blocks the other events', async () => {
    const bare = await onboardedRepo();
    rmSync(join(bare, GUARD));
    const run = (payload: unknown) => runHook(bare, payload);
    const pre = run(hookEvent(bare, 'PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } }));
    expect(pre.code).toBe(2);
    expect(pre.stderr).toBe(
      'spine: spine-hook-guard.cjs beside the hook could not be loaded (ENOENT); the tool call is blocked (spine doctor --fix restores it)\n',
    );
    const stop = run(hookEvent(bare, 'Stop', {}));
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(
      /^spine: spine-hook-guard\.cjs beside the hook could not be loaded \(ENOENT\); this event is not recorded/,
    );
    // An event that does not parse is guarded as a tool call would be.
    expect(run('{"hook_event_name": "Pre').code).toBe(2);
  });
});
