import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const SETTINGS = '.claude/settings.json';
const LOCK = '.spine/lock.json';

const HOOK = {
  type: 'command',
  command: 'node "$CLAUDE_PROJECT_DIR/.claude/hooks/spine-hook.mjs"',
  timeout: 10,
};

/**
 * What releases before the async wiring wrote: every spine hook synchronous, in settings and lock,
 * a hook process after every tool call (PostToolUse, and PostToolUseFailure with the sandbox), and
 * one for each prompt and subagent (UserPromptSubmit, SubagentStart, SubagentStop).
 */
function toFirstWiring(repo: string): void {
  for (const file of [SETTINGS, LOCK]) {
    const text = readFileSync(join(repo, file), 'utf8');
    writeFileSync(join(repo, file), text.replace(/,\s*"async": true/g, ''));
  }
  const settings = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
  const lock = JSON.parse(readFileSync(join(repo, LOCK), 'utf8'));
  for (const event of [
    'PostToolUse',
    'PostToolUseFailure',
    'UserPromptSubmit',
    'SubagentStart',
    'SubagentStop',
  ]) {
    const group = event.startsWith('Post') ? { matcher: '*', hooks: [HOOK] } : { hooks: [HOOK] };
    settings.hooks[event] = [group];
    lock.settings.push({
      key: `hooks.${event}:spine`,
      id: event === 'PostToolUseFailure' ? 'sandbox-secrets' : 'audit-log',
      level: 'locked',
      owner: 'spine',
      value: group,
    });
  }
  writeFileSync(join(repo, SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(repo, LOCK), `${JSON.stringify(lock, null, 2)}\n`);
}

const asyncEvents = (repo: string) =>
  Object.entries(JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8')).hooks as Record<string, any[]>)
    .filter(([, groups]) => groups.some((g) => g.hooks.some((h: any) => h.async === true)))
    .map(([event]) => event)
    .sort();

describe('update moves the hook wiring off the agent’s path', () => {
  it('a repository onboarded with every hook synchronous gets the async audit hooks, three-way', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    expect((await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo })).code).toBe(0);
    expect(asyncEvents(repo)).toEqual(['SessionStart']);
    toFirstWiring(repo);
    // The team's own edit of one spine group is kept (and named), not overwritten.
    const settings = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    settings.hooks.SessionStart[0].hooks[0].timeout = 30;
    writeFileSync(join(repo, SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'onboarded by an earlier release');
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(1);

    const update = await runCli(['update'], { cwd: repo });
    // The per-call, per-prompt and per-subagent hooks go: the transcript has all of it.
    for (const event of [
      'PostToolUse',
      'PostToolUseFailure',
      'UserPromptSubmit',
      'SubagentStart',
      'SubagentStop',
    ])
      expect(update.stdout).toMatch(new RegExp(`- hooks\\.${event}:spine`));
    expect(update.stdout).toMatch(/! hooks\.SessionStart:spine/);
    const after = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    expect(after.hooks.SessionStart[0].hooks[0].timeout).toBe(30);
    expect(asyncEvents(repo)).toEqual([]);
    expect(after.hooks.PreToolUse[0].hooks[0].async).toBeUndefined();
    expect(Object.keys(after.hooks).sort()).toEqual([
      'PreSkillShellCommand',
      'PreToolUse',
      'SessionEnd',
      'SessionStart',
      'Stop',
    ]);
  });
});
