import type { Headline, Recommendation, Report } from './report-model.js';
import { MIN_SESSIONS } from './report-model.js';

export interface SummaryInput {
  report: Omit<Report, 'summary'>;
  /** Sessions in the current period: how far a thin fleet is from a near-miss rate. */
  sessionsNow: number;
  /** Sessions of the week in progress: they count toward the rate once the week ends. */
  sessionsThisWeek?: number;
}

const NAMES: Record<Headline['key'], string> = {
  adoption: 'adoption',
  ramp: 'ramp',
  reuse: 'reuse',
  'near-misses': 'near-misses',
  lag: 'version lag',
  drift: 'guardrails',
};

/**
 * The report in one sentence, for the top of the page, the terminal and `--json summary`: who is
 * onboarded, how current they are, whether the guardrails hold, what cannot be judged yet and
 * when it can, and how much there is to do. Built from the verdicts, so it never disagrees with them.
 */
export function summaryOf({ report, sessionsNow, sessionsThisWeek = 0 }: SummaryInput): string {
  const card = (key: Headline['key']) => report.headline.find((h) => h.key === key);
  const parts = [onboarded(report), current(report), guardrails(report)].filter(Boolean) as string[];

  const activity = (['ramp', 'reuse', 'near-misses'] as const).map(card).filter((h): h is Headline => !!h);
  const unjudged = activity.filter((h) => h.status === 'no-data').map((h) => NAMES[h.key]);
  const needing = report.headline.filter((h) => h.status === 'act' || h.status === 'watch');
  const acts = needing.filter((h) => h.status === 'act').map((h) => NAMES[h.key]);
  const watches = needing.filter((h) => h.status === 'watch' && h.key !== 'drift' && h.key !== 'lag');
  if (acts.length) parts.push(`act on ${list(acts)}`);
  if (watches.length) parts.push(`watch ${list(watches.map((h) => NAMES[h.key]))}`);
  const fine = activity.filter((h) => h.status === 'on-track').map((h) => NAMES[h.key]);
  if (fine.length) parts.push(`${list(fine)} on track`);
  if (unjudged.length) {
    const more = MIN_SESSIONS - sessionsNow - sessionsThisWeek;
    const weekEnd = sessionsThisWeek > 0 ? ' and the end of this week' : '';
    const when = !unjudged.includes('near-misses')
      ? ''
      : more > 0
        ? ` — check again after ${more} more session${more === 1 ? '' : 's'}${weekEnd}`
        : weekEnd
          ? ' — check again when this week ends'
          : '';
    parts.push(`too little activity yet to judge ${list(unjudged)}${when}`);
  }
  return `${capitalise(parts.join(', '))}; ${todo(report.recommendations)}.`;
}

function onboarded(report: SummaryInput['report']): string {
  const { teams, repos } = report.totals;
  const missing = report.adoption.notOnboarded.length;
  const who = `${teams} team${teams === 1 ? '' : 's'}${repos !== teams ? ` (${repos} repos)` : ''} onboarded`;
  return missing ? `${who}, ${missing} repo${missing === 1 ? '' : 's'} not yet` : who;
}

function current(report: SummaryInput['report']): string | null {
  const latest = report.releases.latest;
  const share = report.lag.shareOnLatest;
  if (share === null || !latest) return null;
  const onboarded = report.repos.filter((r) => !r.error && r.version);
  const on = onboarded.filter((r) => r.lagReleases === 0).length;
  const unit = report.totals.repos === report.totals.teams ? '' : ' repos';
  return on === onboarded.length
    ? `all on the latest release (${latest})`
    : `${on} of ${onboarded.length}${unit} on the latest release (${latest})`;
}

function guardrails(report: SummaryInput['report']): string {
  const checked = report.repos.filter((r) => r.clean !== null);
  if (!checked.length) return 'guardrails not checked';
  const removed = checked.filter((r) => r.lockedRemoved > 0).length;
  if (removed) return `locked guardrails removed in ${removed} repo${removed === 1 ? '' : 's'}`;
  const errors = checked.filter((r) => r.findings.error > 0).length;
  if (errors) return `guardrails in place, ${errors} repo${errors === 1 ? '' : 's'} with doctor errors`;
  const edited = checked.filter((r) => r.findings.warning > 0).length;
  return edited
    ? `guardrails intact (${edited} repo${edited === 1 ? '' : 's'} with a warning to look at)`
    : 'guardrails intact';
}

function todo(recs: Recommendation[]): string {
  if (!recs.length) return 'nothing to do this week';
  return `${recs.length} thing${recs.length === 1 ? '' : 's'} to do this week`;
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
