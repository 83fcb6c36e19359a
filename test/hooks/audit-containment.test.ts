import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { auditLines, onboardedRepo, runHook } from './run-hook.js';

const payload = (repo: string) => ({
  session_id: 's1',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'ls' },
  tool_use_id: 't1',
  cwd: repo,
});

describe('the hook never writes its audit log out of the project', () => {
  it('a .spine/audit symlinked out of the repo is refused with a warning; the tool call goes on', async () => {
    const repo = await onboardedRepo();
    const outside = tempDir('spine-audit-outside-');
    mkdirSync(join(repo, '.spine'), { recursive: true });
    symlinkSync(outside, join(repo, '.spine/audit'));
    const run = runHook(repo, payload(repo));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('the audit directory leads out of the project through a symlink');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a link that stays inside the project is followed', async () => {
    const repo = await onboardedRepo();
    mkdirSync(join(repo, 'logs'));
    mkdirSync(join(repo, '.spine'), { recursive: true });
    symlinkSync('../logs', join(repo, '.spine/audit'));
    const run = runHook(repo, payload(repo));
    expect(run.stderr).toBe('');
    expect(readdirSync(join(repo, 'logs'))).toHaveLength(1);
    expect(auditLines(repo)).toHaveLength(1);
  });
});
