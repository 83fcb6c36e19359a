import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { startDeadline } from '../../src/hooks/deadline.js';
import { MAX_COMMAND_CHARS, MAX_PATH_CHARS } from '../../src/hooks/input-limits.js';
import { redactValue } from '../../src/hooks/redact.js';
import { handleEvent } from '../../src/hooks/run-hook.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { tempDir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

// The hook is synchronous: no timer or signal can stop a decision that is busy, so the decision
// itself must give up in time. These inputs keep the guard busy for seconds to minutes when
// nothing bounds it (measured unbounded: the 800 KB of `x;` 17 s, the `-C` chain 98 s); with a
// tiny budget each one is denied, with a reason that says why, as soon as the budget is spent.
const projectDir = tempDir('spine-deadline-');
const ctx = { projectDir, cwd: projectDir, home: '/home/dev', now: new Date() };
/** Time a busy loop may run past the budget before its next clock read, on a loaded machine. */
const SLACK_MS = 300;
let policy: HookPolicy;

beforeAll(async () => {
  policy = { ...(await embeddedPolicy()), audit: null };
});

function preToolUse(input: Record<string, unknown>, budgetMs: number, tool = 'Bash') {
  startDeadline(budgetMs);
  const started = performance.now();
  const result = handleEvent(
    { hook_event_name: 'PreToolUse', session_id: 's', tool_name: tool, tool_input: input, cwd: projectDir },
    policy,
    ctx,
    () => {},
  );
  return { ...result, ms: performance.now() - started };
}

const ADVERSARIAL: [string, string][] = [
  ['800 KB of empty commands, each tested against every rule', 'x;'.repeat(400_000)],
  ['40,000 commands behind assignments', 'A=1 x;'.repeat(40_000)],
  ['a directory chain git resolves one -C at a time', `git ${'-C a '.repeat(30_000)}show HEAD:x`],
  ['30,000 quoted command substitutions', `echo "${'$(x) '.repeat(30_000)}"`],
  ['30,000 git objects named by path', `git show ${'HEAD:a '.repeat(30_000)}`],
  ['20,000 forced pushes', 'git push --force '.repeat(20_000)],
];

describe('the guard decides within its deadline, however busy the input keeps it', () => {
  it.each(ADVERSARIAL)(
    '%s: denied once the budget is spent, saying the guard ran out of time',
    (_name, command) => {
      // Adversarial indeed: with a roomy budget the decision runs out of time or takes several
      // times the tiny budget (how long depends on the machine, so either counts).
      const control = preToolUse({ command }, 1000);
      if (control.failed) expect(control.failed).toMatch(/ran out of time/);
      else expect(control.ms).toBeGreaterThan(50);
      const result = preToolUse({ command }, 10);
      expect(result.verdict).toMatchObject({ decision: 'deny', layer: 'guard', rule: null });
      expect(result.verdict?.reason).toMatch(
        /^spine: the guard ran out of time: it could not decide within its 10 ms limit/,
      );
      expect(result.ms).toBeLessThan(10 + SLACK_MS);
    },
  );

  it('for random mixes of the busy pieces and a random tiny budget: a verdict, never late, and a deny when out of time', () => {
    const piece = fc.constantFrom(
      'x;',
      'A=1 x;',
      '-C a ',
      '"$(x) ',
      'HEAD:.env ',
      'git push --force ',
      "$'\\x",
      'a*a*a*b ',
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.integer({ min: 1, max: 20_000 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 20 }),
        (parts, budget) => {
          const command = `git ${parts.map(([p, n]) => p.repeat(n)).join(' ')}`;
          const result = preToolUse({ command }, budget);
          expect(['allow', 'ask', 'deny']).toContain(result.verdict?.decision);
          if (result.failed) expect(result.verdict?.decision).toBe('deny');
          expect(result.ms).toBeLessThan(budget + SLACK_MS);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a command or a path too large to be one is denied at once, unread', () => {
    const big = preToolUse({ command: `cat ${'a '.repeat(MAX_COMMAND_CHARS / 2)}` }, 4000);
    expect(big.verdict).toMatchObject({ decision: 'deny', layer: 'guard' });
    expect(big.verdict?.reason).toContain('more than the guard checks (1024 KB)');
    expect(big.ms).toBeLessThan(SLACK_MS);
    // A path that normalises to a secret but is longer than any the system opens.
    const path = `${projectDir}/${'a/../'.repeat(MAX_PATH_CHARS / 5)}.env`;
    const long = preToolUse({ file_path: path }, 4000, 'Read');
    expect(long.verdict).toMatchObject({ decision: 'deny', layer: 'guard' });
    expect(long.verdict?.reason).toContain('longer than any path the system opens');
    // Just under the limits, the same calls are read and decided as usual.
    expect(preToolUse({ command: 'cat a' }, 4000).verdict?.decision).toBe('allow');
    expect(preToolUse({ file_path: `${projectDir}/a/../.env` }, 4000, 'Read').verdict?.decision).toBe('deny');
  });

  it('the audit record of a huge call costs what its shown part does, and keeps a secret out', () => {
    const secret = `ghp_${'A'.repeat(36)}`;
    const input = { command: `echo ${secret} ${'x'.repeat(5_000_000)}`, ...manyKeys(5000) };
    const started = performance.now();
    const shown = redactValue(input, 4096) as Record<string, unknown>;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(shown.command).toMatch(/^echo \[REDACTED\] x+…\[truncated \d+ chars\]$/);
    expect(Object.keys(shown)).toHaveLength(201);
    expect(shown['…']).toBe('4801 more keys');
  });
});

function manyKeys(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
}
