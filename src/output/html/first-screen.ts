import type { Headline, Recommendation, Report, Status } from '../../core/report/report-model.js';
import { esc } from './escape.js';

const STATUS: Record<Status, string> = {
  'on-track': '✓ on track',
  watch: '! watch',
  act: '✕ act',
  'no-data': '? no data',
};

const KIND: Record<Recommendation['kind'], string> = {
  'locked-removed': 'guardrails',
  'unguarded-launch-dirs': 'guardrails',
  behind: 'version lag',
  'noisy-rule': 'noisy rule',
  contribute: 'contribute back',
  'dead-skill': 'prune',
  'quiet-rule': 'quiet rule',
  'enforce-guardrail': 'enforce',
  'revise-guardrail': 'revise',
  friction: 'friction',
  'loosen-ask': 'loosen',
  'tighten-allow': 'tighten',
  onboard: 'adoption',
  'repair-drift': 'guardrails',
  'slow-ramp': 'ramp',
  'unshared-skill': 'reuse',
  'rising-near-misses': 'near-misses',
};

/** The part a platform lead reads on Monday: one verdict per question, then what to do this week. */
export function firstScreen(report: Report): string {
  return `<p class="summary" data-summary>${esc(report.summary)}</p>
<p class="how"><a href="#how">How this is computed</a></p>
<section class="first-screen" aria-label="Verdicts">
<div class="verdicts">${report.headline.map((h) => verdictCard(h, report.recommendations)).join('')}</div>
</section>
<section aria-label="This week">
<h2 id="this-week">This week</h2>
${thisWeek(report.recommendations)}
</section>`;
}

function verdictCard(h: Headline, recs: Recommendation[]): string {
  // A card that says act points at the moves on "This week" that resolve it.
  const moves = recs.flatMap((r, i) => (r.resolves === h.key ? [i + 1] : []));
  const todo =
    h.status === 'act' && moves.length
      ? `<p class="todo-link"><a href="#todo-${moves[0]}">This week: ${moves.length === 1 ? `item ${moves[0]}` : `items ${moves.slice(0, 4).join(', ')}${moves.length > 4 ? ', …' : ''}`}</a></p>`
      : '';
  const disagree = h.disagree?.length
    ? `<p class="change">Teams disagreeing with the org: ${h.disagree.map((d) => `${esc(d.team)} <b class="verdict-${esc(d.verdict)}">${esc(d.verdict)}</b>`).join(', ')}</p>`
    : '';
  const drivers = h.drivers.length
    ? `<ul>${h.drivers
        .slice(0, 4)
        .map((d) => `<li>${esc(d)}</li>`)
        .join(
          '',
        )}${h.drivers.length > 4 ? `<li class="muted">and ${h.drivers.length - 4} more</li>` : ''}</ul>`
    : '';
  return `<article class="verdict ${h.status}" data-verdict="${h.key}" data-status="${h.status}">
<h3>${esc(h.question)}</h3>
<span class="status ${h.status}">${STATUS[h.status]}</span>
<p class="value">${esc(h.display)}</p>
${h.status === 'no-data' ? '' : `<p class="change">${h.change ? esc(h.change) : 'no earlier period to compare'}</p>`}
${disagree}${drivers}${todo}
<p class="target">On track: ${esc(h.target)}</p>
</article>`;
}

function thisWeek(recs: Recommendation[]): string {
  if (!recs.length)
    return '<p data-recommendations="0">Nothing needs doing: no locked guardrail removed, no team two or more releases behind, no noisy, quiet or unused part of the spine, no local skill repeated across teams.</p>';
  return `<ol class="todo" data-recommendations="${recs.length}">${recs
    .map(
      (
        r,
        i,
      ) => `<li id="todo-${i + 1}" data-kind="${r.kind}" data-resolves="${r.resolves ?? ''}"><span class="kind">${KIND[r.kind]}</span><b>${esc(r.title)}</b>
<div class="evidence">${esc(r.evidence)}</div>
<div><code>${esc(r.command)}</code> <span class="muted">— ${esc(r.who)}</span></div></li>`,
    )
    .join('')}</ol>`;
}
