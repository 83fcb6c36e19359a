import { frictionAction, frictionVerb } from '../../core/report/friction.js';
import type { Report } from '../../core/report/report-model.js';
import { table } from './escape.js';

const ASK_VERDICT = {
  loosen: 'loosen it',
  keep: 'keep it',
  'needs-data': 'too few asks to judge',
} as const;

/**
 * Where guardrails cost people work: ordinary work they stopped (friction), and what people
 * answered the ask gates. Absent when neither has data.
 */
export function guardrailUseSection(r: Report): string {
  if (r.friction.length === 0 && r.asks.length === 0) return '';
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
  return `<h2 id="guardrail-use">Friction and ask gates</h2>
<p>Friction is ordinary work a guardrail stopped: a cache under a read-only home, a registry off the allow list, a command the guard refused though it prints no file’s contents. Ask gates show what people answered when a guardrail asked them, and how many distinct people were asked (counted by a hash of their git identity; — where no hook knew who).</p>
${friction.length ? table('Friction per class', ['what', 'how', 'times', 'by team', 'the spine change'], friction, { wrap: [3, 4] }) : ''}
${asks.length ? table('Ask gates', ['guardrail', 'asked', 'people', 'allowed', 'refused', 'unknown', 'allowed by team', 'verdict'], asks, { wrap: [6] }) : ''}`;
}
