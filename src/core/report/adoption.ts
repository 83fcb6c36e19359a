import { repoLabel } from './headline.js';
import type { Headline, Recommendation, RepoRow } from './report-model.js';

/**
 * Adoption coverage: of the repositories the report was given, which carry the spine, which don't
 * yet, and which carry it with a locked guardrail taken out (onboarded but unguarded). The first
 * question of a rollout — who hasn't started? — answered from the same command as the rest.
 */
export interface Adoption {
  onboarded: number;
  /** Repositories given that have no .spine/lock.json, as given. */
  notOnboarded: string[];
  /** Onboarded repositories with a locked guardrail removed or overridden. */
  unguarded: string[];
  /** Onboarded over all repositories given; null when none was. */
  share: number | null;
  /**
   * With --org: repositories of the organisation that carry the spine but whose data the report
   * was not given (counted as onboarded; their activity is not in the report).
   */
  onboardedOutside?: string[];
}

export function adoptionOf(
  rows: RepoRow[],
  notOnboarded: string[],
  onboardedOutside: string[] = [],
): Adoption {
  const readable = rows.filter((r) => !r.error);
  const onboarded = readable.length + onboardedOutside.length;
  const total = onboarded + notOnboarded.length;
  return {
    onboarded,
    notOnboarded,
    unguarded: readable.filter((r) => r.lockedRemoved > 0).map((r) => r.path),
    share: total > 0 ? onboarded / total : null,
    ...(onboardedOutside.length ? { onboardedOutside } : {}),
  };
}

/** The adoption card: on track when every repository given carries the spine; never "act". */
export function adoptionHeadline(a: Adoption): Headline {
  const total = a.onboarded + a.notOnboarded.length;
  return {
    key: 'adoption',
    question: 'Has every repository started?',
    status: a.share === null ? 'no-data' : a.notOnboarded.length === 0 ? 'on-track' : 'watch',
    value: a.share,
    display: `${a.onboarded} of ${total} repositories onboarded${a.unguarded.length ? `, ${a.unguarded.length} with a locked guardrail removed` : ''}`,
    previous: null,
    change: null,
    target: 'every repository given onboarded',
    drivers: a.notOnboarded.length
      ? [
          `not yet: ${a.notOnboarded.map(repoLabel).slice(0, 8).join(', ')}${a.notOnboarded.length > 8 ? ` and ${a.notOnboarded.length - 8} more` : ''}`,
        ]
      : [],
  };
}

/** One recommendation for the repositories without the spine: the champion runs init there. */
export function adoptionRecommendations(a: Adoption): Recommendation[] {
  if (a.notOnboarded.length === 0) return [];
  const names = a.notOnboarded.map(repoLabel);
  const total = a.onboarded + a.notOnboarded.length;
  return [
    {
      kind: 'onboard',
      title: `Onboard ${names.length === 1 ? names[0] : `${names.length} repositories`}: ${a.notOnboarded.length} of ${total} have no spine yet`,
      evidence: `no .spine/lock.json in ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`,
      // One repository: its team runs init. Several: the platform team asks them all at once
      // with one onboarding request each, and every team decides on its own request.
      command:
        names.length === 1
          ? `spine init --team <team> --champion <@handle>   # in ${names[0]}`
          : `spine rollout ${names.slice(0, 8).join(' ')}${names.length > 8 ? ' …' : ''} --onboard --spine <spine URL> --publish`,
      who: names.length === 1 ? 'the repository’s team lead' : 'the platform team, then each team’s lead',
      impact: 800 + a.notOnboarded.length,
      resolves: 'adoption',
    },
  ];
}
