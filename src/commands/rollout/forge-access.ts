import type { ForgeName } from '../../core/rollout/targets.js';
import { connectForge, type ForgeAccess, tokenHelp } from '../../io/forge/client.js';
import type { ForgeRepo } from '../../io/forge/detect.js';

type Env = Record<string, string | undefined>;

function hostOf(url: string | undefined): string | undefined {
  return url ? url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0] : undefined;
}

/** The forge repository of a target, on the host the environment names (GitHub Enterprise etc.). */
export function forgeRepoOf(name: ForgeName, env: Env): ForgeRepo {
  if (name.forge === 'github') {
    const [owner, repo] = name.path.split('/') as [string, string];
    return { forge: 'github', host: hostOf(env.GITHUB_SERVER_URL) ?? 'github.com', owner, name: repo };
  }
  return { forge: 'gitlab', host: hostOf(env.GITLAB_SERVER_URL) ?? 'gitlab.com', project: name.path };
}

/** One client per forge repository, or the line that says which token to set. */
export async function forgeAccess(
  name: ForgeName,
  env: Env,
): Promise<{ access: ForgeAccess } | { missing: string }> {
  const repo = forgeRepoOf(name, env);
  const access = await connectForge(repo, env);
  return access ? { access } : { missing: tokenHelp(repo) };
}
