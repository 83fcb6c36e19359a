import type { Report } from '../../core/report/report-model.js';
import { driftSection } from './drift-section.js';
import { esc } from './escape.js';
import { evaluationSection } from './evaluation-section.js';
import { firstScreen } from './first-screen.js';
import { guardrailUseSection } from './guardrail-use-section.js';
import { howSection } from './how-section.js';
import { lagSection } from './lag-section.js';
import { nearMissSection } from './near-miss-section.js';
import { paritySection } from './parity-section.js';
import { reposSection } from './repos-section.js';
import { skillsSection } from './skills-section.js';
import { STYLES } from './styles.js';

/** One self-contained page: inline CSS and SVG, no script, no network at view time. */
export function renderReportHtml(report: Report): string {
  const t = report.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>spine report ${esc(report.asOf)}</title><style>${STYLES}</style></head>
<body>
<h1>spine report</h1>
<p class="muted">As of ${esc(report.asOf)} · ${t.repos} repos, ${t.teams} teams · changes against the ${Math.round(report.thresholds.periodDays / 7)} weeks before the last ${Math.round(report.thresholds.periodDays / 7)} · releases ${report.releases.source === 'spine-tags' ? 'from the spine’s tags' : 'inferred from versions seen in the facts'}${report.since ? ` · activity since ${esc(report.since)}` : ''}</p>
${firstScreen(report)}
${paritySection(report)}
${skillsSection(report)}
${nearMissSection(report)}
${evaluationSection(report)}
${guardrailUseSection(report)}
${lagSection(report)}
${driftSection(report)}
${reposSection(report)}
<h2>Coverage</h2>
<p>${report.coverage.reposWithActivity} of ${report.coverage.repos} repos had activity data · generated ${esc(report.generatedAt)}</p>
<ul>${report.coverage.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
${howSection(report)}
</body></html>
`;
}
