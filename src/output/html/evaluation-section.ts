import type { Report } from '../../core/report/report-model.js';
import { esc, fmt, table } from './escape.js';

const VERDICT = {
  enforce: 'enforce it',
  revise: 'revise it first',
  'needs-data': 'too few sessions to judge',
} as const;

/** Guardrails on trial (`mode: evaluate`): what enforcing each would refuse. Absent when none fired. */
export function evaluationSection(r: Report): string {
  if (r.evaluation.length === 0) return '';
  const rows = r.evaluation.map((g) => [
    g.guardrail,
    g.hits,
    g.newlyRefused,
    g.teams.map((t) => `${t.team} ${fmt(t.perThousandCalls, 1)}/1,000 calls`).join(', '),
    VERDICT[g.verdict],
  ]);
  const samples = r.evaluation
    .filter((g) => g.samples.length > 0)
    .map(
      (g) =>
        `<li><b>${esc(g.guardrail)}</b> would have refused: ${g.samples.map((s) => `<code>${esc(s)}</code>`).join(', ')}</li>`,
    )
    .join('');
  return `<h2 id="evaluation">Guardrails on trial</h2>
<p>Each of these runs in <code>mode: evaluate</code>: the guard records the calls it would have refused and lets them through. A would-be refusal another layer stopped anyway costs nothing to enforce; one that ran is work enforcing it would newly refuse.</p>
${table('Would-be refusals per guardrail', ['guardrail', 'would refuse', 'of them, calls that ran', 'by team', 'verdict'], rows, { wrap: [3] })}
${samples ? `<ul class="samples">${samples}</ul>` : ''}`;
}
