/**
 * A stable, machine-independent name for a repository: the origin URL's host and path, lower-cased
 * host, without scheme, user, port or `.git` — `git@github.com:Acme/pay.git` and
 * `https://token@github.com/Acme/pay` are both `github.com/Acme/pay`. Telemetry from developers'
 * machines and facts collected in CI join on it, so it must never be a local path.
 */
export function repoIdFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const trimmed = url.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(trimmed);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (parsed.protocol === 'file:' || !parsed.hostname) return undefined;
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  }
  const cleanPath = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return cleanPath ? `${host.toLowerCase()}/${cleanPath}` : undefined;
}
