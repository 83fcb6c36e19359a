import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir, read } from '../helpers/gitdir.js';
import { bash, editSettings, initSpine, scriptedSession } from '../helpers/scripted-session.js';

/** What an agent would write to turn spine against its user, each from a sandboxed Bash call. */
const ATTACKS = [
  'mkdir -p .spine/txn && echo "{}" > .spine/txn/journal.json && echo done-$((1*111))',
  'ln -s ../../.claude/hooks/spine-policy.json .spine/audit/link.jsonl && echo done-$((2*111))',
  'mv .spine/lock.json .spine/lock.moved && echo done-$((3*111))',
  'echo x >> .claude/hooks/spine-policy.json && echo done-$((4*111))',
  'echo "{}" > .claude/settings.local.json && echo done-$((5*111))',
  'echo hi > .spine/local.yaml && echo done-$((6*111))',
];
// Printed only when a command ran through: the command text (echoed in a denial) has $((n*111)).
const MARKERS = ATTACKS.map((_, i) => `done-${(i + 1) * 111}`);
const STATE_GUARDRAILS = ['spine-state-read-only', 'spine-state-no-edit'];

/** A session that tries every attack; `unguarded` removes the spine-state guardrails first. */
async function session(unguarded: boolean) {
  const repo = gitdir({ 'README.md': '# app\n' });
  await initSpine(repo);
  if (unguarded) {
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    const owned = lock.settings.filter((e: { id: string }) => STATE_GUARDRAILS.includes(e.id));
    expect(owned.length).toBeGreaterThan(0);
    editSettings(repo, (s) => {
      s.permissions.deny = s.permissions.deny.filter(
        (r: string) => !owned.some((e: { value: unknown }) => e.value === r),
      );
      s.sandbox.filesystem.denyWrite = [];
    });
  }
  const run = await scriptedSession(
    repo,
    ATTACKS.map((c, i) => bash(c, `toolu_${i}`)),
    { prompt: 'go', timeoutMs: 200_000 },
  );
  expect(run.code).toBe(0);
  return { repo, output: run.results.map((r) => r.text).join('\n') };
}

describe("spine's own state, from inside a sandboxed session", () => {
  it('is out of the agent’s reach with the spine-state guardrails, and reachable without them', async () => {
    const [guarded, unguarded] = await Promise.all([session(false), session(true)]);
    for (const marker of MARKERS) expect(guarded.output).not.toContain(marker);
    expect(existsSync(join(guarded.repo, '.spine/txn/journal.json'))).toBe(false);
    expect(existsSync(join(guarded.repo, '.claude/settings.local.json'))).toBe(false);
    expect(existsSync(join(guarded.repo, '.spine/lock.json'))).toBe(true);
    // The hook runs outside the sandbox: the audit log is still written.
    const days = readdirSync(join(guarded.repo, '.spine/audit')).filter((f) => f.endsWith('.jsonl'));
    expect(days.length).toBe(1);
    expect(readFileSync(join(guarded.repo, '.spine/audit', days[0]!), 'utf8')).toContain('"PreToolUse"');
    // The same session without those guardrails writes spine's state: the test can fail.
    expect(unguarded.output).toContain(MARKERS[0]);
    expect(lstatSync(join(unguarded.repo, '.spine/txn/journal.json')).isFile()).toBe(true);
  }, 400_000);
});
