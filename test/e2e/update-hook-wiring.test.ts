import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const SETTINGS = '.claude/settings.json';
const LOCK = '.spine/lock.json';

/** What releases before the async wiring wrote: every spine hook synchronous, in settings and lock. */
function toAllSynchronous(repo: string): void {
  for (const file of [SETTINGS, LOCK]) {
    const text = readFileSync(join(repo, file), 'utf8');
    writeFileSync(join(repo, file), text.replace(/,\s*"async": true/g, ''));
  }
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
    const wanted = asyncEvents(repo);
    expect(wanted).toEqual([
      'PostToolUse',
      // With the sandbox on, a refused secret read is only seen as a failed call.
      'PostToolUseFailure',
      'SessionStart',
      'SubagentStart',
      'SubagentStop',
      'UserPromptSubmit',
    ]);
    toAllSynchronous(repo);
    // The team's own edit of one spine group is kept (and named), not overwritten.
    const settings = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    settings.hooks.SubagentStart[0].hooks[0].timeout = 30;
    writeFileSync(join(repo, SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'onboarded by an earlier release');
    expect((await runCli(['doctor'], { cwd: repo })).code).toBe(1);

    const update = await runCli(['update'], { cwd: repo });
    expect(update.stdout).toMatch(/~ hooks\.PostToolUse:spine/);
    expect(update.stdout).toMatch(/! hooks\.SubagentStart:spine/);
    expect(asyncEvents(repo)).toEqual(wanted.filter((e) => e !== 'SubagentStart'));
    const after = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    expect(after.hooks.SubagentStart[0].hooks[0].timeout).toBe(30);
    expect(after.hooks.PreToolUse[0].hooks[0].async).toBeUndefined();
  });
});
