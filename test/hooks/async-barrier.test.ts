import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hookGroup, BLOCKING_EVENTS as RENDERED_BLOCKING } from '../../src/core/render/settings-entries.js';
import { BLOCKING_EVENTS } from '../../src/hooks/pending.js';
import { AUDIT_EVENTS } from '../../src/spine/model.js';
import { tempDir } from '../helpers/gitdir.js';
import { auditLines, onboardedRepo, runHook } from './run-hook.js';

const SESSION = 'a5c1f0de-0000-4000-8000-00000000beef';
let repo: string;
let pending: string;

beforeAll(async () => {
  repo = await onboardedRepo();
  pending = join(repo, '.spine/audit/.pending');
});

const event = (name: string, fields: Record<string, unknown> = {}) => ({
  session_id: SESSION,
  cwd: repo,
  hook_event_name: name,
  ...fields,
});

describe('async audit writers and the closing barrier', () => {
  it('the hook and the rendered settings agree on which events block', () => {
    expect([...BLOCKING_EVENTS].sort()).toEqual([...RENDERED_BLOCKING].sort());
    for (const e of AUDIT_EVENTS) {
      const async = hookGroup(e).hooks[0]?.async === true;
      expect(async, e).toBe(!BLOCKING_EVENTS.has(e));
    }
    expect(hookGroup('PreToolUse').hooks[0]?.async).toBeUndefined();
  });

  it('an async writer leaves no marker behind once its record is written', () => {
    rmSync(join(repo, '.spine/audit'), { recursive: true, force: true });
    const run = runHook(repo, event('PostToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_9' }));
    expect(run.code).toBe(0);
    expect(auditLines(repo).map((l) => l.event)).toEqual(['PostToolUse']);
    expect(existsSync(pending)).toBe(false);
  });

  it.each(['Stop', 'SessionEnd'])(
    '%s returns only after the session’s writers in flight are done',
    async (name) => {
      const done = join(tempDir('spine-barrier-'), 'done');
      // A stand-in for an async writer at work: it holds its marker for 400 ms, then finishes.
      const code = `const fs = require('fs');
      const marker = ${JSON.stringify(pending)} + '/' + ${JSON.stringify(SESSION)} + '.' + process.pid;
      fs.mkdirSync(${JSON.stringify(pending)}, { recursive: true });
      fs.writeFileSync(marker, '');
      process.stdout.write('ready');
      setTimeout(() => { fs.writeFileSync(${JSON.stringify(done)}, ''); fs.unlinkSync(marker); }, 400);`;
      const writer = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
      await new Promise((resolve) => writer.stdout.once('data', resolve));
      const run = runHook(repo, event(name));
      expect(run.code).toBe(0);
      expect(existsSync(done)).toBe(true);
      await new Promise((resolve) => writer.on('exit', resolve));
    },
  );

  it('a marker whose writer is gone is removed, not waited for', () => {
    mkdirSync(pending, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(join(pending, `${SESSION}.${gone.stdout}`), '');
    const other = join(pending, `another-session.${process.pid}`);
    writeFileSync(other, '');
    expect(runHook(repo, event('Stop')).code).toBe(0);
    expect(existsSync(join(pending, `${SESSION}.${gone.stdout}`))).toBe(false);
    // Another session's writer is none of this session's business.
    expect(existsSync(other)).toBe(true);
    rmSync(pending, { recursive: true, force: true });
  });
});
