import { isAbsolute, relative, resolve, sep } from 'node:path';
import { compilePatterns, redactString } from './redact.js';
import { outputOf } from './sandbox-denial.js';
import type { SecretMatcher } from './secret-guard.js';
import { parseShell } from './shell-words.js';
import type { Friction, HookContext, HookPayload, HookPolicy, Verdict } from './types.js';

/**
 * Friction: a guardrail that stopped ordinary work — the OS sandbox refusing a path or host that
 * is not secret (a toolchain cache under a read-only $HOME, a registry not on the allow list), or
 * the guard refusing a command that prints no file's contents. A team that keeps meeting it
 * switches the sandbox off, so the report names each class with the spine change that ends it.
 * A record holds a class (`~/.npm`, a host, a program), never a value or a file's contents.
 */

/** Write refusals: coreutils, shells, git, Go (`path: read-only file system`), Node, Python, npm. */
const READ_ONLY: RegExp[] = [
  /EROFS: read-only file system, \w+ '([^'\n]+)'/gi,
  /\[Errno 30\] Read-only file system: '([^'\n]+)'/g,
  /['\u2018"`]?([^\s'\u2018\u2019"`]+)['\u2019"`]?: read-only file system/gi,
  // cargo: "failed to create directory `...`" ... "Read-only file system (os error 30)"
  /`([^`\n]+)`[^`]{0,400}?Read-only file system \(os error 30\)/g,
];

/** Reads or writes refused outright: the same forms as a near-miss, on a path that is not secret. */
const DENIED: RegExp[] = [
  /(?:^|\n)[^\n:]*: (?:line \d+: )?(?:cannot [^\n:]*?)?['\u2018]?([^\n:'\u2018\u2019]+)['\u2019]?: Permission denied/g,
  /Permission denied: '([^'\n]+)'/g,
  /EACCES: permission denied, \w+ '([^'\n]+)'/gi,
];

/** What the client's proxy answers for a host that is not on `allowedDomains`. */
const BLOCKED_HOST = /Connection blocked by network allowlist|CONNECT tunnel failed, response 403/i;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@'"]*@)?([a-z0-9.-]+\.[a-z]{2,})(?::\d+)?/gi;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** Directories under $HOME whose children are separate tools (`~/.cache/pip`, `~/.config/gh`). */
const HOME_DEPTH: Record<string, number> = {
  '.cache': 2,
  '.config': 2,
  '.claude': 2,
  '.cargo': 2,
  '.gradle': 2,
  '.m2': 2,
  '.yarn': 2,
  '.rustup': 2,
  '.local': 3,
  go: 2,
};
/**
 * Narrower classes than the depth above gives, where a toolchain group opens only part of a tool's
 * directory: pnpm's store, not PNPM_HOME (its global bin directory), which stays read-only; and
 * the launcher directories inside a cache a group opens, which stay read-only on purpose
 * (core/sandbox/launcher-paths.ts), so the report can say so rather than name the whole cache.
 */
const HOME_NARROWER: readonly (readonly string[])[] = [
  ['.local', 'share', 'pnpm', 'store'],
  ['.cache', 'node', 'corepack'],
  ['.npm', '_npx'],
];
const MAX_CLASS = 120;

/** A sandbox refusal of something not secret in a finished Bash call's output, if any. */
export function sandboxFriction(
  payload: HookPayload,
  policy: HookPolicy,
  matcher: SecretMatcher,
  ctx: HookContext,
): Friction | undefined {
  const sandbox = policy.sandbox;
  if (!sandbox || payload.tool_name !== 'Bash') return undefined;
  const text = outputOf(payload);
  const found =
    refusedPath(text, READ_ONLY, 'write', matcher, ctx) ??
    missingHomeDir(text, matcher, ctx) ??
    refusedPath(text, DENIED, 'access', matcher, ctx) ??
    blockedHost(text, payload.tool_input);
  if (!found) return undefined;
  return {
    layer: 'sandbox',
    kind: found.kind,
    class: cleanClass(found.class, policy),
    guardrail: sandbox.id,
  };
}

function refusedPath(
  text: string,
  patterns: RegExp[],
  kind: Friction['kind'],
  matcher: SecretMatcher,
  ctx: HookContext,
): { kind: Friction['kind']; class: string } | undefined {
  const lower = text.toLowerCase();
  if (kind === 'write' && !lower.includes('read-only file system')) return undefined;
  if (kind === 'access' && !lower.includes('permission denied')) return undefined;
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const raw = m[1]!.trim();
      if (!raw || /\s/.test(raw)) continue;
      const path = isAbsolute(raw) ? resolve(raw) : resolve(ctx.cwd, raw);
      // A secret refused is a near-miss, not friction: never counted here.
      if (matcher.match(path)) return undefined;
      return { kind, class: pathClass(path, ctx.home, ctx.projectDir) };
    }
  }
  return undefined;
}

/**
 * A cache directory the sandbox's view of $HOME lacks: npm's `ENOENT … mkdir '~/.npm/_cacache'`
 * when ~/.npm is neither writable nor there (verified, client 2.1.197). Only under $HOME, where
 * the sandbox is read-only; elsewhere a missing parent is the command's own business.
 */
const MISSING_DIR = /ENOENT: no such file or directory, mkdir '([^'\n]+)'/g;

function missingHomeDir(
  text: string,
  matcher: SecretMatcher,
  ctx: HookContext,
): { kind: Friction['kind']; class: string } | undefined {
  if (!ctx.home || !text.includes('ENOENT')) return undefined;
  for (const m of text.matchAll(MISSING_DIR)) {
    const path = resolve(m[1]!);
    if (!path.startsWith(`${ctx.home.replace(/\/+$/, '')}/`)) continue;
    if (matcher.match(path)) return undefined;
    return { kind: 'write', class: pathClass(path, ctx.home, ctx.projectDir) };
  }
  return undefined;
}

function blockedHost(text: string, input: unknown): { kind: Friction['kind']; class: string } | undefined {
  if (!BLOCKED_HOST.test(text)) return undefined;
  const command = input && typeof input === 'object' ? (input as Record<string, unknown>).command : undefined;
  for (const source of [text, typeof command === 'string' ? command : '']) {
    for (const m of source.matchAll(URL_HOST)) {
      const host = m[1]!.toLowerCase();
      if (HOST.test(host)) return { kind: 'network', class: host };
    }
  }
  return { kind: 'network', class: 'unknown host' };
}

/**
 * A path reduced to the directory a spine change would name: `~/.npm/_cacache/x` → `~/.npm`,
 * `~/.cache/pip/http/y` → `~/.cache/pip`, `<repo>/.git/hooks/pre-commit` → `./.git/hooks`.
 */
export function pathClass(path: string, home: string, projectDir: string): string {
  const inside = (root: string) => {
    if (!root) return undefined;
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
      ? rel.split(sep).filter(Boolean)
      : undefined;
  };
  const repo = inside(projectDir);
  if (repo) return repo.length === 0 ? '.' : `./${repo.slice(0, 2).join('/')}`;
  const own = inside(home);
  if (own) {
    if (own.length === 0) return '~';
    const narrower = HOME_NARROWER.find((prefix) => prefix.every((part, i) => own[i] === part));
    return `~/${(narrower ?? own.slice(0, HOME_DEPTH[own[0]!] ?? 1)).join('/')}`;
  }
  const parts = path.split('/').filter(Boolean);
  const depth = ['usr', 'var', 'opt', 'srv', 'mnt'].includes(parts[0] ?? '') ? 2 : 1;
  return `/${parts.slice(0, depth).join('/')}`;
}

function cleanClass(text: string, policy: HookPolicy): string {
  const redacted = redactString(
    text,
    compilePatterns(policy.redact, () => {}),
  );
  return redacted.length > MAX_CLASS ? `${redacted.slice(0, MAX_CLASS - 1)}…` : redacted;
}

/**
 * Programs that print no file's contents: names, sizes, counts, status. A guard refusal of a
 * command made only of these (no redirection, no `find -exec`) stopped work that read no secret.
 * Copies and moves are not here: `cp .env notes.txt` is a detour, not friction.
 */
const NO_CONTENTS = new Set([
  'ls',
  'stat',
  'du',
  'wc',
  'test',
  '[',
  'touch',
  'mkdir',
  'rm',
  'echo',
  'basename',
  'dirname',
  'realpath',
  'readlink',
]);
const GIT_NO_CONTENTS = new Set(['status', 'check-ignore', 'ls-files']);
const FIND_RUNS = /^-(exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/;

/** A guard refusal of a command that reads no secret, if this verdict is one. */
export function guardFriction(payload: HookPayload, verdict: Verdict | undefined): Friction | undefined {
  if (verdict?.decision !== 'deny' || verdict.layer !== 'guard' || !verdict.rule) return undefined;
  if (payload.tool_name !== 'Bash') return undefined;
  const input = payload.tool_input;
  const command = input && typeof input === 'object' ? (input as Record<string, unknown>).command : undefined;
  if (typeof command !== 'string') return undefined;
  const program = metadataOnly(command);
  return program ? { layer: 'guard', kind: 'command', class: program, guardrail: verdict.rule } : undefined;
}

/** The first program of a command made only of programs that print no contents, else undefined. */
function metadataOnly(command: string): string | undefined {
  const { words } = parseShell(command);
  if (words.length === 0 || words.some((w) => w.redirect)) return undefined;
  // Linear in the words: the command may be hundreds of KB, and this runs on the guard's clock.
  const byCommand = new Map<number, string[]>();
  for (const w of words) {
    const list = byCommand.get(w.command);
    if (list) list.push(w.text);
    else byCommand.set(w.command, [w.text]);
  }
  let first: string | undefined;
  for (const argv of byCommand.values()) {
    const start = argv.findIndex((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
    const args = start < 0 ? argv : argv.slice(start);
    const name = (args[0] ?? '').split('/').pop() ?? '';
    let label: string;
    if (name === 'git' && GIT_NO_CONTENTS.has(args[1] ?? '')) label = `git ${args[1]}`;
    else if (name === 'find' && !args.some((a) => FIND_RUNS.test(a))) label = 'find';
    else if (NO_CONTENTS.has(name)) label = name;
    else return undefined;
    first ??= label;
  }
  return first;
}
