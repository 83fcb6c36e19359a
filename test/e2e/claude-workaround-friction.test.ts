import { describe, expect, it } from 'vitest';
import { git, gitdir } from '../helpers/gitdir.js';
import { bash, initSpine, scriptedSession } from '../helpers/scripted-session.js';
import { auditLines } from '../hooks/run-hook.js';

// A refusal the session then worked around, with the real client and its sandbox: the spine's
// no-force-push-main refuses `git push --force origin main`; the next call pushes with
// `--force-with-lease`, which the spine only asks about, and a person (a tiny MCP server behind
// --permission-prompt-tool) allows it. The push lands, and the audit log carries `workaround`
// friction on it naming the rule — either the rule stops ordinary work or it has a gap, for a
// person to judge. The remote is a bare repository inside the work tree: the sandbox lets
// commands write there.

describe('a refusal the session worked around, with the real client', () => {
  it('is recorded as friction on the call that got through', async () => {
    const repo = gitdir({ 'README.md': '# app\n', '.gitignore': 'remote.git/\n' });
    git(repo, 'init', '-q', '--bare', 'remote.git');
    git(repo, 'remote', 'add', 'origin', `${repo}/remote.git`);
    git(repo, 'push', '-q', 'origin', 'main');
    await initSpine(repo, ['--team', 'alpha', '--champion', '@lead']);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'spine');
    const run = await scriptedSession(
      repo,
      [
        bash('git push --force origin main', 'toolu_force'),
        bash('git push --force-with-lease origin main', 'toolu_lease'),
      ],
      { prompt: 'Push it.', timeoutMs: 150_000, person: true },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.failed('toolu_force')).toBe(true);
    expect(run.failed('toolu_lease'), run.result('toolu_lease')).toBe(false);
    expect(git(repo, 'rev-parse', 'origin/main')).toBe(git(repo, 'rev-parse', 'main'));
    const friction = auditLines(repo).filter((l) => l.friction);
    expect(friction.map((l) => [l.tool_use_id, l.friction])).toEqual([
      [
        'toolu_lease',
        {
          layer: 'rule',
          kind: 'workaround',
          class: 'no-force-push-main: git push',
          guardrail: 'no-force-push-main',
        },
      ],
    ]);
  }, 200_000);
});
