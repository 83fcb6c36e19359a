import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hookPolicy } from '../../src/core/render/hook-policy.js';
import { settingsEntries } from '../../src/core/render/settings-entries.js';
import { decide } from '../../src/hooks/decide.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { loadSpine } from '../../src/spine/load.js';
import type { Spine } from '../../src/spine/model.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE } from '../helpers/run-cli.js';

let spine: Spine;
const projectDir = tempDir('spine-evaluate-');
const ctx = { projectDir, cwd: projectDir, home: '/home/dev' };

/** The embedded spine with one new deny guardrail and one new secret path, both evaluated. */
function evaluated(base: Spine): Spine {
  return {
    ...base,
    permissions: {
      ...base.permissions,
      rules: [
        ...base.permissions.rules,
        {
          id: 'no-inline-python',
          effect: 'deny',
          rules: ['Bash(python3 -c:*)'],
          level: 'default',
          mode: 'evaluate',
          why: 'trial',
          file: 'guardrails/permissions.yaml',
        },
      ],
    },
    secrets: {
      ...base.secrets,
      paths: [
        ...base.secrets.paths,
        {
          id: 'secret-app-config',
          globs: ['**/config/prod.json'],
          bash: [],
          level: 'default',
          mode: 'evaluate',
          why: 'trial',
        },
      ],
    },
  };
}

beforeAll(async () => {
  const loaded = await loadSpine(readSpineDirectory(EMBEDDED_SPINE, 'embedded'));
  if (!loaded.spine) throw new Error('embedded spine does not load');
  spine = evaluated(loaded.spine);
  mkdirSync(join(projectDir, 'config'), { recursive: true });
  writeFileSync(join(projectDir, 'config', 'prod.json'), '{}\n');
  writeFileSync(join(projectDir, '.env'), 'SECRET=1\n');
});

describe('a guardrail in mode evaluate', () => {
  it('writes no settings entry: neither its rules nor a sandbox path', () => {
    const entries = settingsEntries(spine, 'payments');
    expect(entries.filter((e) => e.id === 'no-inline-python')).toEqual([]);
    expect(entries.filter((e) => e.id === 'secret-app-config')).toEqual([]);
    // The enforced guardrails are all still there.
    expect(entries.some((e) => e.id === 'secret-dotenv')).toBe(true);
  });

  it('reaches the hook policy marked evaluate', () => {
    const policy = hookPolicy(spine);
    expect(policy.rules.filter((r) => r.id === 'no-inline-python')).toEqual([
      { id: 'no-inline-python', effect: 'deny', rule: 'Bash(python3 -c:*)', evaluate: true },
    ]);
    expect(policy.secretPaths.find((p) => p.id === 'secret-app-config')?.evaluate).toBe(true);
    // No static Read/Edit rules for an evaluated secret path.
    expect(policy.rules.some((r) => r.id === 'secret-app-config')).toBe(false);
  });

  describe('the guard', () => {
    let policy: HookPolicy;
    beforeAll(() => {
      policy = hookPolicy(spine);
    });
    const bash = (command: string) => decide(policy, { tool: 'Bash', input: { command } }, ctx);

    it('lets an ordinary call through and names the guardrail that would have refused it', () => {
      expect(bash('python3 -c "print(1 + 1)"')).toEqual({
        decision: 'allow',
        rule: null,
        evaluated: [{ rule: 'no-inline-python', decision: 'deny', layer: 'rule' }],
      });
    });

    it('keeps enforcing the enforced guardrails, and still records the would-be refusal', () => {
      const verdict = bash(`python3 -c "print(open('.env').read())"`);
      expect(verdict.decision).toBe('deny');
      expect(verdict.rule).toBe('secret-dotenv');
      expect(verdict.evaluated).toEqual([{ rule: 'no-inline-python', decision: 'deny', layer: 'rule' }]);
    });

    it('evaluates a secret path for every tool without refusing it', () => {
      expect(decide(policy, { tool: 'Read', input: { file_path: 'config/prod.json' } }, ctx)).toEqual({
        decision: 'allow',
        rule: null,
        evaluated: [{ rule: 'secret-app-config', decision: 'deny', layer: 'guard' }],
      });
      expect(bash('cat config/prod.json').evaluated).toEqual([
        { rule: 'secret-app-config', decision: 'deny', layer: 'guard' },
      ]);
    });

    it('says nothing when no evaluated guardrail matches', () => {
      expect(bash('ls -la')).toEqual({ decision: 'allow', rule: null });
    });
  });
});

describe('the daily rollup of would-be refusals', () => {
  it('counts a call the sandbox refused later as stopped anyway, and keeps examples only of calls that ran', async () => {
    const { createActivityRollup } = await import('../../src/core/report/activity-rollup.js');
    const rollup = createActivityRollup();
    const pre = (id: string, command: string) => ({
      ts: '2030-03-04T10:00:00Z',
      event: 'PreToolUse',
      session_id: 's1',
      tool_name: 'Bash',
      tool_use_id: id,
      tool_input: { command },
      decision: 'allow',
      evaluated: [{ rule: 'no-inline-python', decision: 'deny', layer: 'rule' }],
    });
    rollup.add(pre('t1', 'python3 -c "x"'));
    rollup.add(pre('t2', 'python3 -c "open(\'~/.aws/credentials\')"'));
    rollup.add({
      ts: '2030-03-04T10:00:01Z',
      event: 'PostToolUseFailure',
      tool_use_id: 't2',
      layer: 'sandbox',
    });
    const [day] = rollup.result();
    expect(day?.evaluated).toEqual({ 'no-inline-python': { hits: 2, stoppedAnyway: 1, sessions: 1 } });
    expect(rollup.samples()).toEqual({ 'no-inline-python': ['python3 -c "x"'] });
  });
});
