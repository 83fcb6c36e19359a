import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../../src/hooks/transcript.js';
import type { LoggedCall } from '../../src/hooks/transcript-tool-results.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { workarounds } from '../../src/hooks/workarounds.js';

const policy = {
  secretPaths: [{ id: 'secret-env', globs: ['**/.env'] }],
  redact: [],
} as unknown as HookPolicy;
const PROJECT = '/home/dev/app';

interface Step {
  tool?: string;
  input: Record<string, unknown>;
  denied?: string;
  /** Refused by the client's own rules: the hook never saw it. */
  client?: string;
  error?: boolean;
  agent?: string;
}

function run(steps: Step[]) {
  const calls: ToolCall[] = [];
  const pre = new Map<string, LoggedCall>();
  steps.forEach((s, i) => {
    const id = `t${i}`;
    calls.push({
      id,
      name: s.tool ?? 'Bash',
      input: s.input,
      agentId: s.agent ?? null,
      agentType: null,
      result: {
        ts: undefined,
        isError: Boolean(s.denied || s.client || s.error),
        text: '',
        response: undefined,
        cwd: undefined,
        promptId: undefined,
      },
    });
    if (s.client) return;
    pre.set(id, {
      agent_id: s.agent ?? null,
      agent_type: null,
      decision: s.denied ? 'deny' : 'allow',
      rule: s.denied ?? null,
    });
  });
  const client = new Map(steps.map((s, i) => [`t${i}`, s.client]));
  return Object.fromEntries(workarounds(calls, pre, policy, PROJECT, (call) => client.get(call.id)));
}
const bash = (command: string, more: Partial<Step> = {}): Step => ({ input: { command }, ...more });

describe('workarounds: a denial the session then got past', () => {
  it('the same program and subcommand, run cleanly within the next calls', () => {
    expect(
      run([
        bash('git push --force origin main', { denied: 'no-force-push-main' }),
        bash('git status'),
        bash('git push --force-with-lease origin main'),
      ]),
    ).toEqual({
      t2: {
        layer: 'rule',
        kind: 'workaround',
        class: 'no-force-push-main: git push',
        guardrail: 'no-force-push-main',
      },
    });
  });

  it('a refusal by the client’s own rules, which no hook saw', () => {
    expect(
      run([
        { tool: 'Edit', input: { file_path: `${PROJECT}/.spine/local.yaml` }, client: 'spine-state-no-edit' },
        bash("printf 'team: x\\n' >> .spine/local.yaml"),
      ]),
    ).toEqual({ t1: expect.objectContaining({ class: 'spine-state-no-edit: printf' }) });
  });

  it('a shell command on the file an Edit was refused', () => {
    expect(
      run([
        {
          tool: 'Edit',
          input: { file_path: `${PROJECT}/.claude/settings.json` },
          denied: 'spine-state-no-edit',
        },
        bash("sed -i 's/ask/allow/' .claude/settings.json"),
      ]),
    ).toEqual({
      t1: expect.objectContaining({
        kind: 'workaround',
        class: 'spine-state-no-edit: sed',
        guardrail: 'spine-state-no-edit',
      }),
    });
  });

  it('is nothing when the other call failed, came too late, was another agent’s, or the rule guards a secret', () => {
    const denied = bash('git push --force origin main', { denied: 'no-force-push-main' });
    const retry = bash('git push --force-with-lease origin main');
    expect(run([denied, { ...retry, error: true }])).toEqual({});
    expect(run([denied, bash('ls'), bash('ls'), bash('ls'), retry])).toEqual({});
    expect(run([denied, { ...retry, agent: 'sub-1' }])).toEqual({});
    expect(run([bash('cat .env', { denied: 'secret-env' }), bash('cat .env.example')])).toEqual({});
    expect(run([denied, bash('npm test')])).toEqual({});
  });
});
