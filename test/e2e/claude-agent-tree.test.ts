import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENTS } from '../../src/spine/model.js';
import { type ClaudeRun, runClaude } from '../helpers/claude.js';
import { gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { bash } from '../helpers/scripted-session.js';

/**
 * The whole agent tree under spine's hook, with the real client: a team that allows Bash broadly
 * (`--allowedTools Bash`), so only spine stands between the agent and `.env`. The main agent
 * starts a subagent; both try ways around the static rules. Nothing of the secret may reach the
 * model, and the audit log must show every event, who did it, and each refusal with its rule.
 */

const SUBAGENT = 'AUDIT-TREE-SUBAGENT';
// A GitHub token shape (ghp_ + 36 characters), put into a tool input on purpose.
const GITHUB_TOKEN = `ghp_${'Z'.repeat(8)}${randomBytes(14).toString('hex')}`;

interface AuditLine {
  event: string;
  agent_id: string | null;
  agent_type: string | null;
  tool_name: string | null;
  tool_use_id: string | null;
  tool_input?: { command?: string };
  decision?: string;
  rule?: string | null;
  [key: string]: unknown;
}

describe('audit and secret guard across the agent tree', () => {
  const secret = `e2e${randomBytes(16).toString('hex')}`;
  const copy = join(tempDir('spine-detour-'), 'x');
  const mainDetours = ['grep -r SECRET .env', 'cat config/../.env'];
  const subagentDetours = [
    `python3 -c "print(open('.env').read())"`,
    'base64 .env',
    `cp .env ${copy} && cat ${copy}`,
  ];
  let repo: string;
  let server: ModelServer;
  let run: ClaudeRun;
  let audit: AuditLine[];
  let auditText: string;

  beforeAll(async () => {
    repo = gitdir({ 'README.md': '# app\n', 'config/app.json': '{}\n' });
    writeTree(repo, { '.env': `SECRET=${secret}\n` });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    server = await startModelServer({
      main: [
        {
          tools: [
            {
              name: 'Agent',
              input: {
                description: 'Inspect configuration',
                prompt: `${SUBAGENT}: find the configuration values of this project`,
                subagent_type: 'general-purpose',
              },
            },
          ],
        },
        { tools: mainDetours.map((c) => bash(c)) },
        { tools: [bash(`echo ${GITHUB_TOKEN}`)] },
        { text: 'main done' },
      ],
      subagents: {
        [SUBAGENT]: [...subagentDetours.map((c) => ({ tools: [bash(c)] })), { text: 'sub done' }],
      },
    });
    run = await runClaude({
      prompt: 'Find the configuration of this project.',
      cwd: repo,
      baseUrl: server.baseUrl,
      args: ['--allowedTools', 'Bash'],
      timeoutMs: 170_000,
    });
    const dir = join(repo, '.spine', 'audit');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
    auditText = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    audit = auditText
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as AuditLine);
  }, 200_000);

  afterAll(async () => {
    await server?.close();
  });

  it('runs the whole script in both agents', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.some((r) => r.route.kind === 'main' && r.turn === 3)).toBe(true);
    expect(
      server.requests.some((r) => r.route.kind === 'subagent' && r.turn === subagentDetours.length),
    ).toBe(true);
    expect(server.unknown()).toEqual([]);
  });

  it('never lets the secret reach the model server', () => {
    expect(server.leaks(secret)).toEqual([]);
    for (const result of [...server.toolResults('main'), ...server.toolResults(SUBAGENT)]) {
      expect(result.text).not.toContain(secret);
    }
  });

  it('refuses every detour, in the main agent and the subagent', () => {
    const refused = (results: { isError: boolean }[]) => results.filter((r) => r.isError).length;
    expect(refused(server.toolResults(SUBAGENT))).toBe(subagentDetours.length);
    // The main agent's Agent call and echo succeed; only the two detours fail.
    expect(refused(server.toolResults('main'))).toBe(mainDetours.length);
  });

  it('logs every event type', () => {
    expect(new Set(audit.map((l) => l.event))).toEqual(new Set(AUDIT_EVENTS));
  });

  it('tells subagent records apart and links them to the Agent call', () => {
    const sub = audit.filter((l) => l.agent_id);
    expect(sub.length).toBeGreaterThan(0);
    for (const line of sub) expect(line.agent_type).toBe('general-purpose');
    expect(sub.map((l) => l.event)).toEqual(
      expect.arrayContaining(['SubagentStart', 'PreToolUse', 'SubagentStop']),
    );
    const agentIds = new Set(sub.map((l) => l.agent_id));
    expect(agentIds.size).toBe(1);
    const [child] = agentIds;
    // The main agent's PostToolUse of the Agent tool names the child: the edge of the tree.
    const edge = audit.find((l) => l.event === 'PostToolUse' && l.tool_name === 'Agent');
    expect(edge?.agent_id).toBeNull();
    expect(JSON.stringify(edge)).toContain(String(child));
    // The client's requests say the same: the subagent's carry its id, the main agent's none.
    const header = (kind: string) =>
      new Set(
        server.requests.filter((r) => r.route.kind === kind).map((r) => r.headers['x-claude-code-agent-id']),
      );
    expect(header('subagent')).toEqual(new Set([child]));
    expect(header('main')).toEqual(new Set([undefined]));
    for (const line of audit.filter((l) => !l.agent_id)) {
      expect(line.agent_id).toBeNull();
    }
  });

  it('records each detour as a deny with the rule that decided', () => {
    const check = (command: string, fromSubagent: boolean) => {
      const line = audit.find((l) => l.event === 'PreToolUse' && l.tool_input?.command === command);
      expect(line, command).toBeDefined();
      expect(line?.decision, command).toBe('deny');
      expect(line?.rule, command).toMatch(/^[a-z0-9-]+$/);
      expect(Boolean(line?.agent_id), command).toBe(fromSubagent);
    };
    for (const command of mainDetours) check(command, false);
    for (const command of subagentDetours) check(command, true);
  });

  it('redacts a secret in a tool input and never logs the .env value', () => {
    const echo = audit.find((l) => l.event === 'PreToolUse' && l.tool_input?.command?.startsWith('echo '));
    expect(echo?.decision).toBe('allow');
    expect(echo?.tool_input?.command).not.toContain(GITHUB_TOKEN);
    expect(auditText).not.toContain(GITHUB_TOKEN);
    expect(auditText).not.toContain(secret);
  });
});
