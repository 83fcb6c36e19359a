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
}

export function adoptionOf(rows: RepoRow[], notOnboarded: string[]): Adoption {
  const readable = rows.filter((r) => !r.error);
  const total = readable.length + notOnboarded.length;
  return {
    onboarded: readable.length,
    notOnboarded,
    unguarded: readable.filter((r) => r.lockedRemoved > 0).map((r) => r.path),
    share: total > 0 ? readable.length / total : null,
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
      command: `spine init --team <team> --champion <@handle>   # in ${names[0]}${names.length > 1 ? ' (and each of the others)' : ''}`,
      who: 'each repository’s team lead',
      impact: 800 + a.notOnboarded.length,
      resolves: 'adoption',
    },
  ];
}
