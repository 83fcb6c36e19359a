import { frictionAction, frictionVerb } from '../../core/report/friction.js';
import type { Report } from '../../core/report/report-model.js';
import { table } from './escape.js';

const ASK_VERDICT = {
  loosen: 'loosen it',
  keep: 'keep it',
  'needs-data': 'too few asks to judge',
} as const;

const ALLOW_VERDICT = {
  tighten: 'tighten it',
  keep: 'keep it',
  'needs-data': 'too few to judge',
} as const;

/**
 * Where guardrails cost people work: ordinary work they stopped (friction), and what people
 * answered the ask gates. Absent when neither has data.
 */
export function guardrailUseSection(r: Report): string {
  if (r.friction.length === 0 && r.asks.length === 0 && r.allowRules.length === 0) return '';
  const friction = r.friction.map((f) => [
    f.class,
    `${f.layer} ${frictionVerb(f.kind)}`,
    f.hits,
    f.teams.map((t) => `${t.team} ${t.hits}`).join(', '),
    `${frictionAction(f)}: ${f.change}`,
  ]);
  const asks = r.asks.map((a) => [
    a.guardrail,
    a.asked,
    a.people || '—',
    a.allowed,
    a.refused,
    a.unknown,
    a.teams.map((t) => `${t.team} ${t.allowed}/${t.asked}`).join(', '),
    ASK_VERDICT[a.verdict],
  ]);
  const allows = r.allowRules.map((a) => [
    a.guardrail,
    a.calls,
    a.nearMisses,
    a.teams
      .filter((t) => t.nearMisses > 0)
      .map((t) => `${t.team} ${t.nearMisses}/${t.calls}`)
      .join(', '),
    ALLOW_VERDICT[a.verdict],
  ]);
  return `<h2 id="guardrail-use">Friction, ask gates and allow rules</h2>
<p>Friction is ordinary work a guardrail stopped: a cache under a read-only home, a registry off the allow list, a command the guard refused though it prints no file’s contents. Ask gates show what people answered when a guardrail asked them, and how many distinct people were asked (counted by a hash of their git identity; — where no hook knew who). Allow rules are listed when calls they let run without asking were then stopped by the OS sandbox reading a secret.</p>
${friction.length ? table('Friction per class', ['what', 'how', 'times', 'by team', 'the spine change'], friction, { wrap: [3, 4] }) : ''}
${allows.length ? table('Allow rules whose calls reached for a secret', ['guardrail', 'allowed calls', 'stopped by the sandbox on a secret', 'by team', 'verdict'], allows, { wrap: [3] }) : ''}
${asks.length ? table('Ask gates', ['guardrail', 'asked', 'people', 'allowed', 'refused', 'unknown', 'allowed by team', 'verdict'], asks, { wrap: [6] }) : ''}`;
}
