/** Where the client fetches spine's plugin marketplace from, as `extraKnownMarketplaces` takes it. */
export type MarketplaceSource =
  | { source: 'github'; repo: string }
  | { source: 'git'; url: string }
  | { source: 'directory'; path: string };

const GITHUB = /^github:([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)$/;
const GIT_URL = /^(https?:\/\/|ssh:\/\/|git@|file:\/\/)/;

/**
 * `--plugin-marketplace` as a marketplace source: `github:owner/repo`, a git URL, or a directory
 * (absolute, as each machine will read it) holding a `spine export plugin` result.
 */
export function marketplaceSource(given: string, absolute: (path: string) => string): MarketplaceSource {
  const github = GITHUB.exec(given);
  if (github) return { source: 'github', repo: github[1]! };
  if (GIT_URL.test(given)) return { source: 'git', url: given };
  return { source: 'directory', path: absolute(given) };
}
