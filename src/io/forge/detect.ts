import type { Manifest } from '../../spine/model.js';

/** Where a spine's reviews happen: a GitHub repository or a GitLab project. */
export type ForgeRepo =
  | { forge: 'github'; host: string; owner: string; name: string }
  | { forge: 'gitlab'; host: string; project: string };

/** host + path of a git URL: `https://h/p.git`, `ssh://git@h:22/p`, `git@h:p.git`. */
export function parseGitUrl(url: string): { host: string; path: string } | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(url);
  if (scp) return { host: scp[1]!.toLowerCase(), path: cleanPath(scp[2]!) };
  try {
    const parsed = new URL(url);
    if (!/^(https?|ssh|git):$/.test(parsed.protocol) || !parsed.hostname) return undefined;
    return { host: parsed.hostname.toLowerCase(), path: cleanPath(decodeURIComponent(parsed.pathname)) };
  } catch {
    return undefined;
  }
}

function cleanPath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
}

/**
 * The forge a remote URL names (github.com, GitHub Enterprise at the host of `githubHost`,
 * gitlab.com or a host with "gitlab" in its name); undefined when the URL does not say.
 */
export function forgeFromUrl(url: string, githubHost?: string): ForgeRepo | undefined {
  const parsed = parseGitUrl(url);
  if (!parsed) return undefined;
  const { host, path } = parsed;
  const parts = path.split('/').filter(Boolean);
  if ((host === 'github.com' || host === githubHost) && parts.length === 2) {
    return { forge: 'github', host, owner: parts[0]!, name: parts[1]! };
  }
  if (/(^|\.)gitlab\./.test(host) || host.startsWith('gitlab')) {
    if (parts.length >= 2) return { forge: 'gitlab', host, project: parts.join('/') };
  }
  return undefined;
}

/** The remote URL first; spine.yaml `upstream` when the URL does not say (a mirror, a file:// URL). */
export function detectForge(
  url: string,
  upstream: Manifest['upstream'],
  env: Record<string, string | undefined>,
): ForgeRepo | undefined {
  const fromUrl = forgeFromUrl(url, hostOf(env.GITHUB_SERVER_URL));
  if (fromUrl) return fromUrl;
  if (upstream?.forge === 'github') {
    const [owner, name] = upstream.repo.split('/');
    return {
      forge: 'github',
      host: hostOf(env.GITHUB_SERVER_URL) ?? 'github.com',
      owner: owner!,
      name: name!,
    };
  }
  if (upstream?.forge === 'gitlab') {
    return {
      forge: 'gitlab',
      host: hostOf(env.GITLAB_SERVER_URL) ?? 'gitlab.com',
      project: upstream.project,
    };
  }
  return undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The forge's web page for a repository, for links printed to people. */
export function webUrl(repo: ForgeRepo): string {
  return repo.forge === 'github'
    ? `https://${repo.host}/${repo.owner}/${repo.name}`
    : `https://${repo.host}/${repo.project}`;
}

/** The page where a person opens the review by hand. */
export function newReviewUrl(repo: ForgeRepo, base: string, headOwner: string | undefined, branch: string) {
  if (repo.forge === 'github') {
    const head = headOwner && headOwner !== repo.owner ? `${headOwner}:${branch}` : branch;
    return `${webUrl(repo)}/compare/${base}...${head}?expand=1`;
  }
  const q = new URLSearchParams({
    'merge_request[source_branch]': branch,
    'merge_request[target_branch]': base,
  });
  return `${webUrl(repo)}/-/merge_requests/new?${q}`;
}
