import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLines, onboardedRepo, runHook, SECRET_VALUE } from './run-hook.js';

/**
 * A skill's or command's `!` shell line reaches the hook as PreSkillShellCommand (client 2.1.332):
 * `tool_name: "Bash"`, the line as `tool_input.command`, the skill as `command_name`. The guard
 * decides it like a Bash call, the audit records it, and it fails closed.
 */

let repo: string;
beforeAll(async () => {
  repo = await onboardedRepo();
});

const line = (command: string, id: string) => ({
  session_id: 's1',
  hook_event_name: 'PreSkillShellCommand',
  tool_name: 'Bash',
  tool_input: { command },
  tool_use_id: `toolu_1:preamble-${id}`,
  command_name: 'release-notes',
  command_source: 'projectSettings',
  invoked_by: 'claude',
});

describe('PreSkillShellCommand', () => {
  it('lets an ordinary line run and records it with the skill that ran it', () => {
    const run = runHook(repo, line('git log --oneline -5', '0'));
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(auditLines(repo).at(-1)).toMatchObject({
      event: 'PreSkillShellCommand',
      tool_name: 'Bash',
      tool_use_id: 'toolu_1:preamble-0',
      skill: 'release-notes',
      decision: 'allow',
    });
  });

  it('denies a secret detour like a Bash call, answering for this event', () => {
    const run = runHook(repo, line('base64 .env', '1'));
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout).hookSpecificOutput;
    expect(answer).toMatchObject({ hookEventName: 'PreSkillShellCommand', permissionDecision: 'deny' });
    expect(auditLines(repo).at(-1)).toMatchObject({ event: 'PreSkillShellCommand', decision: 'deny' });
    expect(JSON.stringify(auditLines(repo))).not.toContain(SECRET_VALUE);
  });

  it('fails closed: no policy, exit 2 (the line is not run)', async () => {
    const broken = await onboardedRepo();
    rmSync(join(broken, '.claude/hooks/spine-policy.json'));
    const run = runHook(broken, line('echo hi', '0'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/spine-policy\.json.*missing/);
  });
});
