import type { Report } from '../../core/report/report-model.js';
import { MIN_CONTRIBUTORS, MIN_SESSIONS } from '../../core/report/report-model.js';
import { esc } from './escape.js';

/** The docs on the project's home (package.json `homepage`); `spine docs report` prints the same offline. */
const DOCS_URL = 'https://github.com/agent-spine/spine/blob/main/docs/report.md#how-the-report-is-computed';

/** A section without enough data: one line saying what it needs, instead of empty axes. */
export function needs(id: string, text: string): string {
  return `<p class="needs" data-needs="${esc(id)}">${esc(text)}</p>`;
}

/**
 * The statistics behind the plain words of the page, at its end and linked from its top: the page
 * reads without them, a reader who wants to check a number finds them here and in docs/report.md.
 */
export function howSection(r: Report): string {
  const weeks = Math.round(r.thresholds.periodDays / 7);
  return `<section id="how" class="how" aria-label="How this is computed">
<h2>How this is computed</h2>
<ul>
<li><b>Onboarded</b> (t0 in the data) is the day a repo’s <code>.spine/lock.json</code> first appears in its git history.</li>
<li><b>Time to the pioneer’s level</b>: each week’s commits per active contributor, divided by the team’s median over the 8 weeks before t0 (its baseline); the pioneer’s level is the median of its last 8 weeks. A team not there yet is counted as “not yet, N weeks in” (censored), never dropped.</li>
<li><b>Near-miss trend</b>: the Theil–Sen slope of the weekly rate against cumulative tool calls, with a 95% interval; rising or falling only when the interval excludes zero.</li>
<li><b>Range to expect</b>: u-chart control limits, the org’s mean rate ± 3σ for each week’s number of calls (σ = √(mean ÷ the week’s calls in thousands)).</li>
<li><b>Left out</b>: weeks or cells with fewer than ${MIN_SESSIONS} sessions or ${MIN_CONTRIBUTORS} contributors are suppressed, never shown as zero — too few to mean anything, or to stay anonymous.</li>
<li><b>Changes</b> compare the last ${weeks} complete weeks with the ${weeks} before; thresholds come from the spine’s <code>report.yaml</code> or the defaults.</li>
</ul>
<p>In full: <a href="${DOCS_URL}">docs/report.md, “How the report is computed”</a> — or <code>spine docs report</code> without a network.</p>
</section>`;
}
