/**
 * Claude Code's sandbox path syntax (`sandbox.filesystem.*`, verified with client 2.1.197 and
 * bubblewrap; table in docs/sandbox.md) is not the permission-rule syntax: `**` `*` `?` `[...]`
 * work, `{a,b}` braces do not (they match nothing), and a leading single `/` means "relative to
 * the settings file" (`.claude/`), not the project root. A spine secret glob is written in the
 * permission-rule / picomatch dialect; this translates it or says why it can't.
 */
export type SandboxPath = { path: string } | { error: string };

export function toSandboxPath(glob: string): SandboxPath {
  if (/[{}]/.test(glob)) {
    return { error: 'brace alternatives ({a,b}) match nothing in the sandbox; list each path' };
  }
  if (glob.startsWith('!')) return { error: 'negated globs have no sandbox form; use allowPaths' };
  if (/[@+!]\(/.test(glob)) return { error: 'extended globs (@(...), +(...), !(...)) have no sandbox form' };
  if (glob.includes('\\')) return { error: 'backslash escapes have no sandbox form' };
  if (glob.split('/').includes('..')) return { error: '".." segments have no sandbox form' };
  if (glob === '~' || glob.startsWith('~/') || glob.startsWith('//') || glob.startsWith('**/')) {
    return { path: glob };
  }
  if (glob.startsWith('~')) return { error: '"~user" paths have no sandbox form; use "~/"' };
  // Project-root-relative in permission rules; the sandbox reads "/x" as relative to .claude/.
  if (glob.startsWith('/')) return { path: `.${glob}` };
  return { path: glob.startsWith('./') ? glob : `./${glob}` };
}

/** A domain pattern the client's proxy understands: a host name, or `*.` and a host name. */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

export function domainProblem(domain: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) return 'a domain, not a URL: drop the scheme';
  if (domain.includes('/')) return 'a domain, not a URL: drop the path';
  if (/:\d+$/.test(domain)) return 'ports are not part of a domain pattern';
  if (domain === '*' || domain === '*.*') return 'a bare wildcard would allow every host';
  if (IPV4.test(domain)) return undefined;
  if (!DOMAIN.test(domain)) return 'not a domain pattern (host names, or *.example.com for subdomains)';
  return undefined;
}
