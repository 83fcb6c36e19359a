import { isKnownRepo, type KnownRepos } from '../../core/report/known-repos.js';
import { headHasPath } from '../../io/rollout-git.js';
import { mapLimit } from '../rollout/map-limit.js';
import { listOrg } from '../rollout/org-targets.js';

type Env = Record<string, string | undefined>;

export interface OrgAdoption {
  /** `github:acme/web`: repositories of the organisation without a lock on their default branch. */
  notOnboarded: string[];
  /** Onboarded on the forge, but neither a path nor facts of them were given. */
  onboardedOutside: string[];
  /** Lines for the coverage notes: archived ones left out, ones that could not be read. */
  notes: string[];
}

/**
 * Who in an organisation has not started: every repository the forge lists (archived ones left
 * out) that the report was not given is looked at on its default branch — a shallow clone without
 * blobs — for a `.spine/lock.json`. `known` holds the repositories the report already has (by
 * their forge path, see core/report/known-repos), so a repository is never counted twice.
 */
export async function orgAdoption(org: string, known: KnownRepos, env: Env): Promise<OrgAdoption> {
  const { forge, repos } = await listOrg({ org, match: [], topics: [], env });
  const result: OrgAdoption = { notOnboarded: [], onboardedOutside: [], notes: [] };
  const archived = repos.filter((r) => r.archived);
  if (archived.length) result.notes.push(`${org}: ${archived.length} archived repository(ies) left out`);
  const unknown = repos.filter((r) => !r.archived && !isKnownRepo(known, r.path));
  const looked = await mapLimit(unknown, 4, async (r) => ({
    name: `${forge}:${r.path}`,
    seen: await headHasPath(r.cloneUrl, '.spine/lock.json', env),
  }));
  const unreadable: string[] = [];
  for (const { name, seen } of looked) {
    if ('why' in seen) unreadable.push(`${name} (${seen.why})`);
    else if (seen.has) result.onboardedOutside.push(name);
    else result.notOnboarded.push(name);
  }
  if (result.onboardedOutside.length)
    result.notes.push(
      `${org}: ${result.onboardedOutside.length} onboarded repository(ies) whose data was not given, counted as onboarded: ${result.onboardedOutside.slice(0, 8).join(', ')}${result.onboardedOutside.length > 8 ? ', …' : ''}`,
    );
  if (unreadable.length)
    result.notes.push(
      `${org}: could not read ${unreadable.length}, left out: ${unreadable.slice(0, 4).join('; ')}`,
    );
  return result;
}
