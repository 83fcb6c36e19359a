import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { auditLines, HOOK, hookEvent, onboardedRepo, runHook } from './run-hook.js';

let repo: string;
beforeAll(async () => {
  repo = await onboardedRepo();
});

const event = (name: string, fields?: Record<string, unknown>) => hookEvent(repo, name, fields);

/**
 * Runs the hook in `at` on one event with `recorder` preloaded, a script that writes what it saw
 * as JSON to the file `OUT` when the process exits; returns that JSON.
 */
function recorded(at: string, payload: unknown, recorder: string): unknown {
  const out = join(tempDir('spine-recorded-'), 'out.json');
  const preload = join(tempDir('spine-preload-'), 'record.cjs');
  writeFileSync(preload, `const OUT = ${JSON.stringify(out)};\n${recorder}\n`);
  const result = spawnSync(process.execPath, ['-r', preload, join(at, HOOK)], {
    cwd: at,
    input: JSON.stringify(payload),
    env: { ...process.env, CLAUDE_PROJECT_DIR: at },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('the blocking events load only what they use', () => {
  /** The Node builtins a hook process loaded, beyond a bare start's, as it handled one event. */
  function modulesLoaded(payload: unknown): string[] {
    const loaded = recorded(
      repo,
      payload,
      `const at = new Set(process.moduleLoadList);
process.on('exit', () => require('fs').writeFileSync(OUT,
  JSON.stringify(process.moduleLoadList.filter((m) => !at.has(m)))));`,
    ) as string[];
    return loaded.map((m) => m.replace(/^NativeModule /, ''));
  }

  // The exporter's network, hashing and process modules, and the stream modules an ES import of
  // node:fs pulls in: none of them is used before a PreToolUse decision.
  const UNUSED = [
    'http',
    'https',
    'tls',
    'net',
    'dns',
    'crypto',
    'child_process',
    'stream',
    'internal/fs/streams',
  ];

  it('decides PreToolUse, allowed and denied, without loading network, hashing or process modules', () => {
    for (const command of ['npm test && git diff --stat', 'cat .env']) {
      const loaded = modulesLoaded(event('PreToolUse', { tool_name: 'Bash', tool_input: { command } }));
      expect(loaded.filter((m) => UNUSED.includes(m))).toEqual([]);
      // The control: the recorder sees what the hook loads (the signal binding of its deadline
      // handlers). The CommonJS hook no longer starts the ES module loader either.
      expect(loaded).toContain('Internal Binding signal_wrap');
      expect(loaded.filter((m) => m.startsWith('internal/modules/esm'))).toEqual([]);
    }
    const read = modulesLoaded(event('PreToolUse', { tool_name: 'Read', tool_input: { file_path: '.env' } }));
    expect(read.filter((m) => UNUSED.includes(m))).toEqual([]);
  });

  it('closes a session with telemetry off without them either', () => {
    const loaded = modulesLoaded(event('Stop', {}));
    expect(loaded.filter((m) => UNUSED.includes(m))).toEqual([]);
  });
});

describe('the hook in three files', () => {
  const GUARD = '.claude/hooks/spine-hook-guard.cjs';
  const SESSION = '.claude/hooks/spine-hook-session.cjs';

  /**
   * The hook files a hook process opened as it handled one event. The entry runs the others
   * through the code cache (vm.Script), not `require`, so what it reads is what it loads.
   */
  function scriptsLoaded(at: string, payload: unknown): string[] {
    const opened = recorded(
      at,
      payload,
      `const fs = require('fs');
const opened = new Set();
const open = fs.openSync;
fs.openSync = function (path, ...rest) { if (typeof path === 'string') opened.add(path); return open.call(this, path, ...rest); };
process.on('exit', () => fs.writeFileSync(OUT, JSON.stringify([...opened, ...Object.keys(require.cache)])));`,
    ) as string[];
    return opened
      .filter((path) => path.startsWith(`${at}/.claude/hooks/spine-hook`))
      .map((path) => path.slice(at.length + 1));
  }

  it('decides PreToolUse with the entry and the guard, and loads the third file for the other events', () => {
    for (const command of ['npm test', 'cat .env']) {
      const loaded = scriptsLoaded(repo, event('PreToolUse', { tool_name: 'Bash', tool_input: { command } }));
      expect(loaded).toEqual(expect.arrayContaining([HOOK, GUARD]));
      expect(loaded).not.toContain(SESSION);
    }
    expect(
      scriptsLoaded(
        repo,
        event('PreSkillShellCommand', { tool_name: 'Bash', tool_input: { command: 'ls' } }),
      ),
    ).not.toContain(SESSION);
    // The control: the recorder sees the third file where it is loaded.
    expect(scriptsLoaded(repo, event('Stop', {}))).toEqual(expect.arrayContaining([HOOK, GUARD, SESSION]));
  });

  it('ships a small entry, and a guard without the transcript reader, summary or exporter', () => {
    const size = (name: string) => statSync(join(REPO_ROOT, 'dist/hooks', name)).size;
    // node compiles the entry itself at every start; the rest comes from the code cache.
    expect(size('spine-hook.cjs')).toBeLessThan(16_000);
    // The single file was about 124 KB.
    expect(size('spine-hook-guard.cjs')).toBeLessThan(90_000);
    expect(size('spine-hook-session.cjs')).toBeGreaterThan(20_000);
    expect(readFileSync(join(REPO_ROOT, 'dist/hooks/spine-hook-guard.cjs'), 'utf8')).not.toContain(
      'function exportPending',
    );
  });

  it('without the second file, still guards and never blocks the other events', async () => {
    const bare = await onboardedRepo();
    rmSync(join(bare, SESSION));
    const denied = runHook(
      bare,
      hookEvent(bare, 'PreToolUse', { tool_name: 'Bash', tool_input: { command: 'cat .env' } }),
    );
    expect(denied.code).toBe(0);
    expect(JSON.parse(denied.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    const allowed = runHook(
      bare,
      hookEvent(bare, 'PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } }),
    );
    expect(allowed).toMatchObject({ code: 0, stdout: '', stderr: '' });
    for (const name of ['Stop', 'SessionEnd', 'SessionStart', 'PostToolUse']) {
      const run = runHook(bare, hookEvent(bare, name, { tool_name: 'Bash', tool_input: { command: 'ls' } }));
      expect(run.code, name).toBe(0);
      expect(run.stderr.trim().split('\n'), name).toEqual([
        expect.stringMatching(
          /^spine: spine-hook-session\.cjs beside the hook could not be loaded \(ENOENT\); this event is not recorded \(spine doctor --fix restores it\)$/,
        ),
      ]);
    }
    // The guard's records are still written; the other events' are not.
    expect(auditLines(bare).map((r) => r.event)).toEqual(['PreToolUse', 'PreToolUse']);
    // Put back, the other events are recorded again.
    cpSync(join(REPO_ROOT, 'dist/hooks/spine-hook-session.cjs'), join(bare, SESSION));
    expect(runHook(bare, hookEvent(bare, 'Stop', {}))).toMatchObject({ code: 0, stderr: '' });
    expect(auditLines(bare).map((r) => r.event)).toContain('Stop');
  });
});
