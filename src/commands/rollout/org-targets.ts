import picomatch from 'picomatch';
import type { RawEntry } from '../../core/rollout/targets.js';
import { UserError } from '../../errors.js';
import { type ListedRepo, listGitHubRepos, listGitLabRepos } from '../../io/forge/list-repos.js';
import { ForgeError } from '../../io/forge/types.js';

type Env = Record<string, string | undefined>;

export interface OrgRequest {
  /** `github:acme` or `gitlab:acme/platform`. */
  org: string;
  /** Repository name globs (`payments-*`); a repository matches any of them. */
  match: string[];
  /** Topics (GitHub topics, GitLab topics); a repository must carry one of them. */
  topics: string[];
  /** GitHub custom properties, `name=value`; a repository must have every one of them. */
  properties?: string[];
  env: Env;
}

/** The repositories of a forge organisation or group, filtered by name globs and topics. */
export async function listOrg(
  request: OrgRequest,
): Promise<{ forge: 'github' | 'gitlab'; repos: ListedRepo[] }> {
  const match = /^(github|gitlab):([A-Za-z0-9_.\-/]+)$/.exec(request.org);
  if (!match) throw new UserError(`--org takes github:<org> or gitlab:<group>, not "${request.org}"`);
  const [, forge, name] = match as unknown as [string, 'github' | 'gitlab', string];
  const { env } = request;
  const wanted = (request.properties ?? []).map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UserError(`--property takes name=value, not "${p}"`);
    return { name: p.slice(0, eq), value: p.slice(eq + 1) };
  });
  if (wanted.length && forge === 'gitlab')
    throw new UserError('GitLab has no custom properties: filter a group by --topic or --match');
  let listed: ListedRepo[];
  try {
    if (forge === 'github') {
      const token = env.GITHUB_TOKEN || env.GH_TOKEN;
      if (!token)
        throw new UserError('set GITHUB_TOKEN (or GH_TOKEN) to list the repositories of an organisation');
      listed = await listGitHubRepos(name, token, env.GITHUB_API_URL || 'https://api.github.com', {
        withProperties: wanted.length > 0,
      });
    } else {
      const token = env.GITLAB_TOKEN;
      if (!token)
        throw new UserError(
          'set GITLAB_TOKEN (a token with the "read_api" scope) to list the projects of a group',
        );
      listed = await listGitLabRepos(
        name,
        token,
        env.GITLAB_API_URL || env.CI_API_V4_URL || 'https://gitlab.com/api/v4',
      );
    }
  } catch (error) {
    if (error instanceof ForgeError) throw new UserError(error.message, { file: request.org });
    throw error;
  }
  const globs = request.match.length ? picomatch(request.match, { nocase: true }) : undefined;
  return {
    forge,
    repos: listed
      .filter((r) => !globs || globs(r.path.split('/').pop()!) || globs(r.path))
      .filter((r) => request.topics.length === 0 || r.topics.some((t) => request.topics.includes(t)))
      .filter((r) =>
        wanted.every(({ name, value }) => {
          const has = r.properties?.[name];
          return Array.isArray(has) ? has.includes(value) : has === value;
        }),
      )
      .sort((a, b) => a.path.localeCompare(b.path)),
  };
}

/** The repositories of a forge organisation or group, filtered, as rollout list entries. */
export async function orgEntries(request: OrgRequest): Promise<RawEntry[]> {
  const { forge, repos } = await listOrg(request);
  return repos.map((r) => ({ text: `${r.cloneUrl} ${forge}:${r.path}`, origin: request.org }));
}
