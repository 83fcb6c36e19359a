import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFromTranscript } from '../../src/hooks/transcript-records.js';
import type { AuditRecord, HookPolicy } from '../../src/hooks/types.js';
import { auditRecords, auditSink } from '../helpers/audit-sink.js';
import { tempDir } from '../helpers/gitdir.js';
import { preToolUseLine } from '../helpers/transcript.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

/**
 * The records rebuilt at Stop from a transcript Claude Code 2.1.332 wrote (test/fixtures/
 * transcript-newest: a real session in an onboarded repository, its request-body lines left out,
 * paths replaced): `ls`, `cat .env` (the guard), Read(.env) (a deny rule, decided before any hook),
 * a node read of .env (the OS sandbox), `git push` (an ask, refused in -p) and a background
 * subagent running `ls -la`. This client writes beside each result whether the sandbox ran the
 * call (`sandboxed`) and who decided it (`permissionDecision`); the audit takes both from there.
 */
const SESSION = 'd5a5cdba-4d3d-4758-b885-299c7dc456fb';
const SUBAGENT = 'aa3b56ca8664150f8';
const FIXTURE = fileURLToPath(new URL('../fixtures/transcript-newest', import.meta.url));
let policy: HookPolicy;
beforeAll(async () => {
  policy = await embeddedPolicy();
});

/** What the PreToolUse hook logged in that session (the calls it saw), as it wrote them. */
const pre = (id: string, extra: Partial<AuditRecord> = {}) =>
  preToolUseLine(SESSION, id, '2026-12-06T22:26:14.000Z', extra);
const LOGGED = [
  pre('toolu_main_0_0'),
  pre('toolu_main_1_0', { decision: 'deny', rule: 'secret-dotenv', layer: 'guard' }),
  pre('toolu_main_3_0'),
  pre('toolu_main_4_0', { decision: 'ask', rule: 'gate-git-push', layer: 'rule' }),
  pre('toolu_main_5_0', { tool_name: 'Agent' }),
  pre('toolu_sub0_0_0', { agent_id: SUBAGENT, agent_type: 'general-purpose' }),
];

/** The fixture in a temp dir, `edit` applied to the main transcript's text; the records rebuilt. */
function rebuild(edit: (text: string) => string = (t) => t): Record<string, AuditRecord> {
  const root = tempDir('spine-transcript-newest-');
  cpSync(FIXTURE, join(root, 'projects'), { recursive: true });
  const transcript = join(root, 'projects', `${SESSION}.jsonl`);
  writeFileSync(transcript, edit(readFileSync(transcript, 'utf8')));
  const logDir = join(root, 'audit');
  mkdirSync(logDir);
  writeFileSync(join(logDir, '2026-12-06.jsonl'), `${LOGGED.join('\n')}\n`);
  recordFromTranscript(
    auditSink(logDir, policy, new Date('2026-12-06T23:00:00Z')),
    SESSION,
    transcript,
    true,
  );
  const records = auditRecords(logDir).filter(
    (r) => r.event !== 'PreToolUse' || !LOGGED.some((l) => l.includes(`"${r.tool_use_id}"`)),
  );
  return Object.fromEntries(records.map((r) => [`${r.event}:${r.tool_use_id}`, r]));
}

/** The line of the main transcript holding the result of `id`, edited by `change`. */
const editResult = (id: string, change: (line: string) => string) => (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line.includes(`"tool_use_id":"${id}"`) && line.includes('"tool_result"') ? change(line) : line,
    )
    .join('\n');

describe('records from a 2.1.332 transcript', () => {
  it('says which calls the OS sandbox ran, and finds its refusal of a secret', () => {
    const by = rebuild();
    expect(by['PostToolUse:toolu_main_0_0']).toMatchObject({ tool_name: 'Bash', sandboxed: true });
    expect(by['PostToolUseFailure:toolu_main_3_0']).toMatchObject({
      sandboxed: true,
      decision: 'deny',
      rule: 'sandbox-enabled',
      layer: 'sandbox',
    });
    // The Agent call's result is not a sandboxed command: no flag is made up.
    expect(by['PostToolUse:toolu_main_5_0']).not.toHaveProperty('sandboxed');
  });

  it('does not blame the sandbox for a refusal in a call the client ran outside it', () => {
    const by = rebuild(
      editResult('toolu_main_3_0', (l) => l.replace('"sandboxed":true', '"sandboxed":false')),
    );
    const failure = by['PostToolUseFailure:toolu_main_3_0'];
    expect(failure).toMatchObject({ sandboxed: false });
    expect(failure).not.toHaveProperty('decision');
    expect(failure).not.toHaveProperty('layer');
    expect(failure).not.toHaveProperty('friction');
  });

  it("takes a rule's refusal from the client's decision, whatever the result's wording", () => {
    expect(rebuild()['PreToolUse:toolu_main_2_0']).toMatchObject({
      tool_name: 'Read',
      decision: 'deny',
      rule: 'secret-dotenv',
      layer: 'rule',
    });
    const reworded = rebuild(
      editResult('toolu_main_2_0', (l) =>
        l.replace('File is in a directory that is denied by your permission settings.', 'Blocked.'),
      ),
    );
    expect(reworded['PreToolUse:toolu_main_2_0']).toMatchObject({ decision: 'deny', layer: 'rule' });
    // A person's refusal with the same words is not a rule's near-miss.
    const byPerson = rebuild(
      editResult('toolu_main_2_0', (l) =>
        l.replace(
          /"permissionDecision":\{[^}]*\}/,
          '"permissionDecision":{"decision":"reject","source":"user_reject"}',
        ),
      ),
    );
    expect(byPerson).not.toHaveProperty(['PreToolUse:toolu_main_2_0']);
  });

  it("records the ask's answer and keeps the background subagent in the session's agent tree", () => {
    const by = rebuild();
    expect(by['PostToolUseFailure:toolu_main_4_0']?.ask).toEqual({
      rule: 'gate-git-push',
      outcome: 'refused',
      source: 'config',
    });
    expect(by['PostToolUse:toolu_main_5_0']).toMatchObject({ tool_name: 'Agent', child_agent_id: SUBAGENT });
    expect(by['PostToolUse:toolu_sub0_0_0']).toMatchObject({
      agent_id: SUBAGENT,
      agent_type: 'general-purpose',
      sandboxed: true,
    });
  });
});
