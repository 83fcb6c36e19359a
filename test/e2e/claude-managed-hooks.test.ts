import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE } from '../../src/core/client/support.js';
import {
  CLAUDE_BIN,
  type ClaudeRun,
  claudeHome,
  clientAtLeast,
  runClaude,
  trustWorkspace,
} from '../helpers/claude.js';
import { gitdir, tempDir } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { type ModelServer, startModelServer, type Turn } from '../helpers/model-server.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { bash } from '../helpers/scripted-session.js';
import { auditLines } from '../hooks/run-hook.js';

/**
 * Managed `allowManagedHooksOnly` keeps project hooks off, spine's audit with them. The plugin
 * `spine export plugin` writes carries spine's hook, and `spine export managed-settings
 * --plugin-marketplace` enables it. Installed as the machine's managed settings (a private mount
 * namespace, as in claude-managed-mask), a 12-call session with a background subagent must be
 * audited completely, each call and event once — with the key (the plugin's copy alone) and
 * without it (both copies run and share each event out). On a client that runs no plugin hooks
 * under the key, spine cannot keep the audit: doctor on that machine says so.
 */

const SUBAGENT = 'MANAGED-HOOKS-SUBAGENT';
const noop = (i: number) => bash(`true ${i}`);
const read = () => ({ name: 'Read', input: { file_path: 'README.md' } });
// 1 Agent + 3 subagent calls + 2 parallel + 6 single = 12 tool calls.
const main: Turn[] = [
  { tools: [noop(1)] },
  {
    tools: [
      {
        name: 'Agent',
        input: { description: 'Look around', prompt: `${SUBAGENT}: look`, subagent_type: 'general-purpose' },
      },
    ],
  },
  { tools: [noop(2), read()] },
  { tools: [read()] },
  { tools: [noop(3)] },
  { tools: [read()] },
  { tools: [noop(4)] },
  { tools: [noop(5)] },
  { text: 'main done' },
];
const sub: Turn[] = [{ tools: [noop(10)] }, { tools: [read()] }, { tools: [noop(11)] }, { text: 'sub done' }];
const CALLS = 12;

interface Session {
  repo: string;
  managed: string;
  run: ClaudeRun;
  model: ModelServer;
}

describe.skipIf(!canMountPrivately())(
  'allowManagedHooksOnly with spine plugin enabled by managed settings',
  () => {
    const sessions: Record<'managedOnly' | 'both', Session> = {} as never;
    const pluginHooksRun = clientAtLeast(PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE);

    beforeAll(async () => {
      const cwd = tempDir('spine-managed-hooks-');
      const plugin = await runCli(['export', 'plugin', 'market', '--spine', 'embedded'], { cwd });
      expect(plugin.code, plugin.stderr).toBe(0);
      const exported = await runCli(
        ['export', 'managed-settings', '--spine', 'embedded', '--plugin-marketplace', 'market'],
        { cwd },
      );
      expect(exported.code, exported.stderr).toBe(0);
      const start = async (allowManagedHooksOnly: boolean): Promise<Session> => {
        const managed = join(tempDir('spine-managed-'), 'managed-settings.json');
        writeFileSync(managed, JSON.stringify({ ...JSON.parse(exported.stdout), allowManagedHooksOnly }));
        const repo = gitdir({ 'README.md': '# app\n' });
        const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
        expect(init.code, init.stderr).toBe(0);
        const model = await startModelServer({ main, subagents: { [SUBAGENT]: sub } });
        const home = claudeHome();
        trustWorkspace(home, repo);
        const run = await runClaude({
          prompt: 'work',
          cwd: repo,
          home,
          bin: managedWrapper(managed),
          baseUrl: model.baseUrl,
          args: ['--allowedTools', 'Bash', 'Read'],
          timeoutMs: 240_000,
        });
        return { repo, managed, run, model };
      };
      [sessions.managedOnly, sessions.both] = await Promise.all([start(true), start(false)]);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(Object.values(sessions).map((s) => s?.model.close()));
    });

    /** Every call has one PreToolUse and one PostToolUse record; every session event one. */
    function expectAuditedOnce(session: Session): void {
      expect(session.run.code, session.run.stderr).toBe(0);
      const lines = auditLines(session.repo);
      for (const event of ['PreToolUse', 'PostToolUse']) {
        const ids = lines.filter((l) => l.event === event).map((l) => l.tool_use_id);
        expect(ids, event).toHaveLength(CALLS);
        expect(new Set(ids).size, event).toBe(CALLS);
      }
      for (const event of ['SessionStart', 'SubagentStart', 'SubagentStop', 'SessionEnd']) {
        expect(
          lines.filter((l) => l.event === event),
          event,
        ).toHaveLength(1);
      }
      const people = lines.filter((l) => l.event === 'UserPromptSubmit' && l.prompt_kind === undefined);
      expect(people.map((l) => l.prompt)).toEqual(['work']);
      const edge = lines.find((l) => l.event === 'PostToolUse' && l.tool_name === 'Agent');
      expect(edge?.child_agent_id).toBe(lines.find((l) => l.event === 'SubagentStart')?.agent_id);
      // No two lines for the same event of the same call, agent or turn.
      const keys = lines.map(
        (l) => `${l.event} ${l.tool_use_id ?? ''} ${l.agent_id ?? ''} ${l.prompt_id ?? ''} ${l.prompt ?? ''}`,
      );
      expect(new Set(keys).size).toBe(keys.length);
    }

    it.runIf(pluginHooksRun)(
      "with allowManagedHooksOnly, the plugin's copy audits the session completely, once each",
      () => {
        expectAuditedOnce(sessions.managedOnly);
      },
    );

    it('without the key both copies run, and each call and event is still recorded once', () => {
      // The oldest client runs no plugin hooks at all: the project's copy records alone.
      expectAuditedOnce(sessions.both);
    });

    it.skipIf(pluginHooksRun)(
      'on a client that runs no plugin hooks under allowManagedHooksOnly, nothing is audited and doctor says the audit is off',
      async () => {
        const { repo, managed, run } = sessions.managedOnly;
        expect(run.code, run.stderr).toBe(0);
        expect(existsSync(join(repo, '.spine/audit'))).toBe(false);
        const bin = tempDir('spine-client-on-path-');
        symlinkSync(CLAUDE_BIN, join(bin, 'claude'));
        // doctor on the same machine: the same managed settings, the same client on PATH.
        let stdout = '';
        let code = 0;
        try {
          stdout = execFileSync(
            managedWrapper(managed, process.execPath),
            [BIN, 'doctor', '--offline', '--json'],
            {
              cwd: repo,
              env: { ...process.env, CI: '1', PATH: `${bin}:${process.env.PATH}` },
              encoding: 'utf8',
            },
          );
        } catch (error) {
          ({ stdout, status: code } = error as { stdout: string; status: number });
        }
        const finding = JSON.parse(stdout).findings.find((f: any) => f.code === 'managed-hooks-only');
        expect(code).toBe(1);
        expect(finding).toMatchObject({ severity: 'error', path: '/etc/claude-code/managed-settings.json' });
        expect(finding.message).toMatch(/runs no plugin hooks: so spine's audit is off on this machine/);
      },
    );
  },
);
