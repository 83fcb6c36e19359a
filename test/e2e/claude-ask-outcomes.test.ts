import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claudeHome, clientAtLeast, runClaude } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

// Ask gates report their outcomes, with the real client: a person (a tiny MCP server behind
// `--permission-prompt-tool`) allows one `git push` the spine's gate-git-push asks about and
// refuses another. The audit log records each answer from the transcript — the client's own
// permissionDecision where it writes one (2.1.332), else what the result shows (2.1.197: a clean
// run was allowed; an error cannot be told) — and the report counts them per ask guardrail.

const PERSON = fileURLToPath(new URL('../helpers/person-mcp.mjs', import.meta.url));

function auditOf(repo: string): Record<string, any>[] {
  const dir = join(repo, '.spine/audit');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
    .map((l) => JSON.parse(l));
}

const bash = (command: string, id: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: 'push' },
  id,
});

describe('ask gates with the real client', () => {
  it('records what the person answered, and the report counts it per guardrail', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--team', 'alpha', '--champion', '@lead', '--yes'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const server = await startModelServer({
      main: [
        { tools: [bash('git push --dry-run . HEAD:refs/heads/copy # allow-me', 'toolu_allowed')] },
        { tools: [bash('git push --dry-run . HEAD:refs/heads/copy # refuse-me', 'toolu_refused')] },
        { text: 'done' },
      ],
    });
    try {
      const mcp = { mcpServers: { person: { command: process.execPath, args: [PERSON] } } };
      const run = await runClaude({
        prompt: 'Push the branch.',
        cwd: repo,
        baseUrl: server.baseUrl,
        home: claudeHome(),
        args: ['--mcp-config', JSON.stringify(mcp), '--permission-prompt-tool', 'mcp__person__approve'],
        timeoutMs: 150_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const results = new Map(server.toolResults('main').map((r) => [r.toolUseId, r]));
      expect(results.get('toolu_allowed')?.isError).toBe(false);
      expect(results.get('toolu_refused')?.text).toContain('the person said no');
    } finally {
      await server.close();
    }

    const audit = auditOf(repo);
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
