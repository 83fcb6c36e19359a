import { describe, expect, it } from 'vitest';
import { clientAtLeast } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { bash, initSpine, scriptedSession } from '../helpers/scripted-session.js';
import { auditLines } from '../hooks/run-hook.js';

// Ask gates report their outcomes, with the real client: a person (a tiny MCP server behind
// `--permission-prompt-tool`) allows one `git push` the spine's gate-git-push asks about and
// refuses another. The audit log records each answer from the transcript — the client's own
// permissionDecision where it writes one (2.1.332), else what the result shows (2.1.197: a clean
// run was allowed; an error cannot be told) — and the report counts them per ask guardrail.

describe('ask gates with the real client', () => {
  it('records what the person answered, and the report counts it per guardrail', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    await initSpine(repo, ['--team', 'alpha', '--champion', '@lead']);
    const run = await scriptedSession(
      repo,
      [
        bash('git push --dry-run . HEAD:refs/heads/copy # allow-me', 'toolu_allowed'),
        bash('git push --dry-run . HEAD:refs/heads/copy # refuse-me', 'toolu_refused'),
      ],
      { prompt: 'Push the branch.', timeoutMs: 150_000, person: true },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.failed('toolu_allowed')).toBe(false);
    expect(run.result('toolu_refused')).toContain('the person said no');

    const audit = auditLines(repo);
    for (const id of ['toolu_allowed', 'toolu_refused'])
      expect(audit.find((l) => l.event === 'PreToolUse' && l.tool_use_id === id)).toMatchObject({
        decision: 'ask',
        rule: 'gate-git-push',
      });
    const answer = (id: string) => audit.find((l) => l.tool_use_id === id && l.ask)?.ask;
    const newer = clientAtLeast('2.1.332');
    // Who was asked: the repository's git identity (test@example.com), as a pseudonym only.
    const person = expect.stringMatching(/^p-[0-9a-f]{16}$/);
    expect(answer('toolu_allowed')).toEqual(
      newer
        ? { rule: 'gate-git-push', outcome: 'allowed', source: 'user_temporary', person }
        : { rule: 'gate-git-push', outcome: 'allowed', person },
    );
    expect(answer('toolu_refused')).toEqual(
      newer
        ? { rule: 'gate-git-push', outcome: 'refused', source: 'user_reject', person }
        : { rule: 'gate-git-push', outcome: 'unknown', person },
    );
    expect(JSON.stringify(audit)).not.toContain('test@example.com');

    const report = await runCli(['report', repo, '--json'], { cwd: repo });
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout).asks).toEqual([
      {
        guardrail: 'gate-git-push',
        asked: 2,
        allowed: 1,
        refused: newer ? 1 : 0,
        unknown: newer ? 0 : 1,
        sessions: 1,
        nearMisses: 0,
        people: 1,
        teams: [{ team: 'alpha', asked: 2, allowed: 1, refused: newer ? 1 : 0, people: 1 }],
        verdict: 'needs-data',
      },
    ]);
  }, 200_000);
});
