import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeHome, runClaude } from '../helpers/claude.js';
import { git, gitdir, read, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The client's sandbox masks protected names (`.bashrc`, `.vscode`, `.claude/launch.json`, …)
 * with /dev/null devices when a repository lacks them. With spine's SessionStart hook keeping them
 * in .git/info/exclude, a sandboxed `git status` is clean and `git add -A` + `git commit` work;
 * the same session without the hook shows the phantoms and cannot stage (so the test can fail).
 */

const bash = (command: string, id: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: 'run' },
  id,
});
const WORK: ToolUse[] = [
  bash('git status --porcelain', 'toolu_status'),
  bash('echo change >> README.md && git add -A && git commit -qm work && echo COMMITTED', 'toolu_commit'),
];

interface Session {
  repo: string;
  server: ModelServer;
  code: number;
  stderr: string;
  text: (id: string) => string;
}

async function session(withHook: boolean): Promise<Session> {
  const repo = gitdir({ 'README.md': '# app\n', '.gitignore': '.spine/audit/\n' });
  writeTree(repo, { '.git/info/exclude': "# the team's own line\n*.team-local\n" });
  const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  if (!withHook) {
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    delete settings.hooks;
    writeTree(repo, { '.claude/settings.json': JSON.stringify(settings, null, 2) });
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'onboard');
  const server = await startModelServer({ main: [...WORK.map((t) => ({ tools: [t] })), { text: 'done' }] });
  const run = await runClaude({
    prompt: 'Work on the project.',
    cwd: repo,
    baseUrl: server.baseUrl,
    home: claudeHome(),
    args: ['--allowedTools', 'Bash'],
    timeoutMs: 180_000,
  });
  const results = new Map(server.toolResults('main').map((r) => [r.toolUseId, r.text]));
  return { repo, server, code: run.code, stderr: run.stderr, text: (id) => results.get(id) ?? '<no result>' };
}

let spine: Session;
let control: Session;

beforeAll(async () => {
  [spine, control] = await Promise.all([session(true), session(false)]);
}, 300_000);

afterAll(async () => {
  await Promise.all([spine, control].map((s) => s?.server.close()));
});

describe('masked names under the real sandbox', () => {
  it('with the hook: git status is clean and git add -A + commit work', () => {
    expect(spine.code, spine.stderr).toBe(0);
    expect(spine.text('toolu_status')).toMatch(/^(\(Bash completed with no output\))?\s*$/);
    expect(spine.text('toolu_commit')).toContain('COMMITTED');
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
    expect(control.text('toolu_status')).toMatch(/\?\? \.bash_profile/);
    expect(control.text('toolu_commit')).toMatch(/can only add regular files/);
  });
});
