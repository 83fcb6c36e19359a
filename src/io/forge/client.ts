import { execa } from 'execa';
import type { ForgeRepo } from './detect.js';
import { githubClient } from './github.js';
import { gitlabClient } from './gitlab.js';
import type { ForgeClient } from './types.js';

type Env = Record<string, string | undefined>;

export interface ForgeAccess {
  client: ForgeClient;
  /** Where the token came from, for messages (never the token itself). */
  tokenSource: string;
  apiUrl: string;
}

/** A client for the forge, or undefined when there is no token to talk to it with. */
export async function connectForge(repo: ForgeRepo, env: Env): Promise<ForgeAccess | undefined> {
  if (repo.forge === 'github') {
    const apiUrl =
      env.GITHUB_API_URL ||
      (repo.host === 'github.com' ? 'https://api.github.com' : `https://${repo.host}/api/v3`);
    const token = await githubToken(env, repo.host);
    if (!token) return undefined;
    return {
      client: githubClient({ owner: repo.owner, repo: repo.name, token: token.value, baseUrl: apiUrl }),
      tokenSource: token.source,
      apiUrl,
    };
  }
  const apiUrl = env.GITLAB_API_URL || env.CI_API_V4_URL || `https://${repo.host}/api/v4`;
  const token = env.GITLAB_TOKEN;
  if (!token) return undefined;
  return {
    client: gitlabClient({ project: repo.project, token, baseUrl: apiUrl }),
    tokenSource: 'GITLAB_TOKEN',
    apiUrl,
  };
}

/** GITHUB_TOKEN, GH_TOKEN, then `gh auth token` when the GitHub CLI is installed and logged in. */
async function githubToken(env: Env, host: string): Promise<{ value: string; source: string } | undefined> {
  if (env.GITHUB_TOKEN) return { value: env.GITHUB_TOKEN, source: 'GITHUB_TOKEN' };
  if (env.GH_TOKEN) return { value: env.GH_TOKEN, source: 'GH_TOKEN' };
  try {
    const result = await execa('gh', ['auth', 'token', '--hostname', host], {
      env,
      extendEnv: false,
      reject: false,
      timeout: 10_000,
    });
    const value = result.exitCode === 0 ? String(result.stdout).trim() : '';
    return value ? { value, source: 'gh auth token' } : undefined;
  } catch {
    return undefined;
  }
}

export function tokenHelp(repo: ForgeRepo): string {
  return repo.forge === 'github'
    ? 'set GITHUB_TOKEN (or GH_TOKEN, or log in with "gh auth login") to have spine open it'
    : 'set GITLAB_TOKEN (a token with the "api" scope) to have spine open it';
}
