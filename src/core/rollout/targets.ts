/**
 * The repositories a rollout acts on, as the platform team lists them: a path to a clone, a git
 * URL, or `github:owner/name` / `gitlab:group/project`, each optionally followed by the forge
 * repository it lives in (for a mirror or a file:// URL the URL cannot name). Pure: the command
 * reads the list file and resolves paths; this only parses and de-duplicates.
 */
export interface ForgeName {
  forge: 'github' | 'gitlab';
  /** owner/name on GitHub, the project path on GitLab. */
  path: string;
}

export interface RolloutTarget {
  /** As written, for tables and messages. */
  input: string;
  /** The short name shown in tables: the repository's last path segment. */
  name: string;
  /** Where to clone it from: a local path or a git URL. */
  source: string;
  /** The forge repository that holds its pull requests, when known. */
  forge?: ForgeName;
  /** Where the entry came from (`repos.txt:4`), for messages. */
  origin: string;
}

export interface TargetList {
  targets: RolloutTarget[];
  /** Entries naming a repository already listed: reported, never acted on twice. */
  duplicates: { input: string; origin: string; first: string }[];
  /** Entries that cannot be read as a target: reported with where they are. */
  invalid: { input: string; origin: string; reason: string }[];
}

const FORGE_SHORT = /^(github|gitlab):([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+)$/;

/** `github:acme/payments` → its forge name, or undefined. */
export function parseForgeName(text: string): ForgeName | undefined {
  const match = FORGE_SHORT.exec(text);
  if (!match) return undefined;
  const path = match[2]!.replace(/\.git$/, '');
  if (match[1] === 'github' && path.split('/').length !== 2) return undefined;
  return { forge: match[1] as 'github' | 'gitlab', path };
}

/** The forge a plain https/ssh URL names (github.com, a gitlab host), or undefined. */
export function forgeOfUrl(url: string, githubHosts: string[] = ['github.com']): ForgeName | undefined {
  const parsed =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^[^@/]+@([^:/]+):(.+?)(?:\.git)?\/?$/.exec(url);
  if (!parsed) return undefined;
  const [, host, path] = parsed as unknown as [string, string, string];
  const parts = path.split('/').filter(Boolean);
  if (githubHosts.includes(host) && parts.length === 2) return { forge: 'github', path: parts.join('/') };
  if (/(^|\.)gitlab\./.test(host) || host.startsWith('gitlab')) {
    if (parts.length >= 2) return { forge: 'gitlab', path: parts.join('/') };
  }
  return undefined;
}

/** The clone URL of a forge name, on the public hosts unless told otherwise. */
export function cloneUrlOf(name: ForgeName, hosts: { github?: string; gitlab?: string } = {}): string {
  const host =
    name.forge === 'github' ? (hosts.github ?? 'https://github.com') : (hosts.gitlab ?? 'https://gitlab.com');
  return `${host.replace(/\/+$/, '')}/${name.path}.git`;
}

export interface RawEntry {
  text: string;
  origin: string;
}

/** Lines of a list file: blank lines and `#` comments skipped, each kept with its line number. */
export function entriesOfFile(file: string, text: string): RawEntry[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const bare = line.replace(/(^|\s)#.*$/, '').trim();
    return bare ? [{ text: bare, origin: `${file}:${index + 1}` }] : [];
  });
}

/**
 * Parses entries into targets. `resolvePath` turns a local path into an absolute one (the
 * command's cwd); `key` says when two entries are the same repository.
 */
export function parseTargets(
  entries: RawEntry[],
  resolvePath: (path: string) => string,
  hosts: { github?: string; gitlab?: string } = {},
): TargetList {
  const list: TargetList = { targets: [], duplicates: [], invalid: [] };
  const seen = new Map<string, string>();
  const githubHosts = ['github.com', ...(hosts.github ? [hostOf(hosts.github)] : [])];
  for (const entry of entries) {
    const words = entry.text.split(/\s+/);
    if (words.length > 2) {
      list.invalid.push({
        input: entry.text,
        origin: entry.origin,
        reason: 'one repository per line: a path or URL, optionally followed by github:owner/name',
      });
      continue;
    }
    const [first, second] = words as [string, string | undefined];
    const named = parseForgeName(first);
    const forge = second === undefined ? undefined : parseForgeName(second);
    if (second !== undefined && !forge) {
      list.invalid.push({
        input: entry.text,
        origin: entry.origin,
        reason: `"${second}" is not a forge repository (github:owner/name or gitlab:group/project)`,
      });
      continue;
    }
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(first) || /^[^@/\s]+@[^:/\s]+:/.test(first);
    const source = named ? cloneUrlOf(named, hosts) : isUrl ? first : resolvePath(first);
    const target: RolloutTarget = {
      input: entry.text,
      name: nameOf(named?.path ?? source),
      source,
      origin: entry.origin,
    };
    const forgeName = forge ?? named ?? (isUrl ? forgeOfUrl(first, githubHosts) : undefined);
    if (forgeName) target.forge = forgeName;
    const key = forgeName
      ? `${forgeName.forge}:${forgeName.path.toLowerCase()}`
      : source.replace(/\.git$|\/+$/g, '');
    const first0 = seen.get(key);
    if (first0 !== undefined) {
      list.duplicates.push({ input: entry.text, origin: entry.origin, first: first0 });
      continue;
    }
    seen.set(key, entry.origin);
    list.targets.push(target);
  }
  return list;
}

function nameOf(source: string): string {
  const parts = source.replace(/\.git$|\/+$/g, '').split(/[/:]/);
  return parts[parts.length - 1] || source;
}

function hostOf(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]!;
}
