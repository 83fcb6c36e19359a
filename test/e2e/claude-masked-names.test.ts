import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, read, writeTree } from '../helpers/gitdir.js';
import type { ToolUse } from '../helpers/model-server.js';
import {
  bash,
  editSettings,
  initSpine,
  type ScriptedSession,
  scriptedSession,
} from '../helpers/scripted-session.js';

/**
 * The client's sandbox masks protected names (`.bashrc`, `.vscode`, `.claude/launch.json`, …)
 * with /dev/null devices when a repository lacks them. With spine's SessionStart hook keeping them
 * in .git/info/exclude, a sandboxed `git status` is clean and `git add -A` + `git commit` work;
 * the same session without the hook shows the phantoms and cannot stage (so the test can fail).
 */

const WORK: ToolUse[] = [
  bash('git status --porcelain', 'toolu_status'),
  bash('echo change >> README.md && git add -A && git commit -qm work && echo COMMITTED', 'toolu_commit'),
];

async function session(withHook: boolean): Promise<ScriptedSession> {
  const repo = gitdir({ 'README.md': '# app\n', '.gitignore': '.spine/audit/\n' });
  writeTree(repo, { '.git/info/exclude': "# the team's own line\n*.team-local\n" });
  await initSpine(repo, ['--team', 't', '--champion', 'c']);
  if (!withHook) editSettings(repo, (s) => delete s.hooks);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'onboard');
  return scriptedSession(repo, WORK, { timeoutMs: 180_000 });
}

let spine: ScriptedSession;
let control: ScriptedSession;

beforeAll(async () => {
  [spine, control] = await Promise.all([session(true), session(false)]);
}, 300_000);

describe('masked names under the real sandbox', () => {
  it('with the hook: git status is clean and git add -A + commit work', () => {
    expect(spine.code, spine.stderr).toBe(0);
    expect(spine.result('toolu_status')).toMatch(/^(\(Bash completed with no output\))?\s*$/);
    expect(spine.result('toolu_commit')).toContain('COMMITTED');
    expect(git(spine.repo, 'log', '--oneline', '-1')).toContain('work');
  });

  it('the team’s exclude lines are kept; only missing names are listed', () => {
    const exclude = read(spine.repo, '.git/info/exclude');
    expect(exclude).toContain("# the team's own line\n*.team-local\n");
    expect(exclude).toContain('/.bash_profile\n');
    expect(exclude).toContain('/.claude/launch.json\n');
  });

  it('control: without the hook the phantoms show and git add -A fails', () => {
    expect(control.code, control.stderr).toBe(0);
    expect(control.result('toolu_status')).toMatch(/\?\? \.bash_profile/);
    expect(control.result('toolu_commit')).toMatch(/can only add regular files/);
  });
});
