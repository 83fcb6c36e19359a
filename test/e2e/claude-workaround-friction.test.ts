import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claudeHome, runClaude } from '../helpers/claude.js';
import { git, gitdir } from '../helpers/gitdir.js';
import { startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { auditLines } from '../hooks/run-hook.js';

// A refusal the session then worked around, with the real client and its sandbox: the spine's
// no-force-push-main refuses `git push --force origin main`; the next call pushes with
// `--force-with-lease`, which the spine only asks about, and a person (a tiny MCP server behind
// --permission-prompt-tool) allows it. The push lands, and the audit log carries `workaround`
// friction on it naming the rule — either the rule stops ordinary work or it has a gap, for a
// person to judge. The remote is a bare repository inside the work tree: the sandbox lets
// commands write there.

const PERSON = fileURLToPath(new URL('../helpers/person-mcp.mjs', import.meta.url));
const bash = (command: string, id: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: id },
  id,
});

describe('a refusal the session worked around, with the real client', () => {
  it('is recorded as friction on the call that got through', async () => {
    const repo = gitdir({ 'README.md': '# app\n', '.gitignore': 'remote.git/\n' });
    git(repo, 'init', '-q', '--bare', 'remote.git');
    git(repo, 'remote', 'add', 'origin', `${repo}/remote.git`);
    git(repo, 'push', '-q', 'origin', 'main');
    const init = await runCli(['init', '--team', 'alpha', '--champion', '@lead', '--yes'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'spine');
    const server = await startModelServer({
      main: [
        { tools: [bash('git push --force origin main', 'toolu_force')] },
        { tools: [bash('git push --force-with-lease origin main', 'toolu_lease')] },
        { text: 'done' },
      ],
    });
    try {
      const mcp = { mcpServers: { person: { command: process.execPath, args: [PERSON] } } };
      const run = await runClaude({
        prompt: 'Push it.',
        cwd: repo,
        baseUrl: server.baseUrl,
        home: claudeHome(),
        args: ['--mcp-config', JSON.stringify(mcp), '--permission-prompt-tool', 'mcp__person__approve'],
        timeoutMs: 150_000,
      });
      expect(run.code, run.stderr).toBe(0);
      const results = new Map(server.toolResults('main').map((r) => [r.toolUseId, r]));
      expect(results.get('toolu_force')?.isError).toBe(true);
      expect(results.get('toolu_lease')?.isError, results.get('toolu_lease')?.text).toBe(false);
    } finally {
      await server.close();
    }
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
