import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { HOOK, hookEvent, onboardedRepo } from './run-hook.js';

let repo: string;
beforeAll(async () => {
  repo = await onboardedRepo();
});

const event = (name: string, fields?: Record<string, unknown>) => hookEvent(repo, name, fields);

describe('the blocking events load only what they use', () => {
  /** The Node builtins a hook process loaded, beyond a bare start's, as it handled one event. */
  function modulesLoaded(payload: unknown): string[] {
    const out = join(tempDir('spine-modules-'), 'loaded.json');
    const preload = join(tempDir('spine-preload-'), 'record.cjs');
    writeFileSync(
      preload,
      `const at = new Set(process.moduleLoadList);
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)},
  JSON.stringify(process.moduleLoadList.filter((m) => !at.has(m)))));\n`,
    );
    const result = spawnSync(process.execPath, ['-r', preload, join(repo, HOOK)], {
      cwd: repo,
      input: JSON.stringify(payload),
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')).map((m: string) => m.replace(/^NativeModule /, ''));
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
