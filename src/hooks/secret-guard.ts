import { type Dir, type Dirent, opendirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { checkDeadline, tick } from './deadline.js';
import { gitBlobPaths, gitSubcommand, grepPatterns } from './git-blobs.js';
import { compilePathGlob, type PathGlob, type PathRoots } from './path-glob.js';
import { parseShell, type ShellWord } from './shell-words.js';
import type { HookPolicy } from './types.js';
import { wildcardMatch } from './wildcard.js';

export interface GuardContext extends PathRoots {
  cwd: string;
}

export interface SecretHit {
  /** The secret-path guardrail whose glob matched. */
  id: string;
  /** The text in the call that named the path, and the path it resolves to. */
  token: string;
  path: string;
}

/** The secret globs compiled once per event; allowPaths are never secrets. */
export class SecretMatcher {
  private readonly secrets: { id: string; re: PathGlob }[];
  private readonly allowed: PathGlob[];

  constructor(policy: Pick<HookPolicy, 'secretPaths' | 'allowPaths'>, roots: PathRoots) {
    this.secrets = policy.secretPaths.flatMap((p) =>
      p.globs.map((g) => ({ id: p.id, re: compilePathGlob(g, roots) })),
    );
    this.allowed = policy.allowPaths.map((g) => compilePathGlob(g, roots));
  }

  /** The id of the secret guardrail covering an absolute, normalised path, if any. */
  match(path: string): string | undefined {
    if (this.allowed.some((re) => re.test(path))) return undefined;
    return this.secrets.find((s) => s.re.test(path))?.id;
  }
}

/** File tools and the input field that names their path. */
const PATH_FIELDS: Record<string, string[]> = {
  Read: ['file_path'],
  Edit: ['file_path'],
  Write: ['file_path'],
  MultiEdit: ['file_path'],
  NotebookEdit: ['notebook_path'],
  NotebookRead: ['notebook_path'],
  Grep: ['path'],
  Glob: ['path'],
  LS: ['path'],
};

/** Does this tool call touch a secret path? Bash through any program, file tools by path. */
export function findSecret(
  toolName: string,
  input: Record<string, unknown>,
  matcher: SecretMatcher,
  ctx: GuardContext,
): SecretHit | undefined {
  if (toolName === 'Bash') {
    return typeof input.command === 'string' ? findSecretInCommand(input.command, matcher, ctx) : undefined;
  }
  const fields = PATH_FIELDS[toolName];
  if (!fields) return undefined;
  for (const field of fields) {
    const value = input[field];
    if (typeof value !== 'string' || value === '') continue;
    const hit = checkCandidate(value, matcher, ctx, false);
    if (hit) return hit;
  }
  // Grep's `glob` filter narrows a search to files: `glob: ".env*"` reads the secret.
  if (toolName === 'Grep' && typeof input.glob === 'string') {
    const base = typeof input.path === 'string' && input.path ? input.path : ctx.cwd;
    for (const sample of globSamples(input.glob)) {
      const hit = checkCandidate(`${base}/${sample}`, matcher, ctx, false);
      if (hit) return { ...hit, token: input.glob };
    }
  }
  return undefined;
}

export function findSecretInCommand(
  command: string,
  matcher: SecretMatcher,
  ctx: GuardContext,
): SecretHit | undefined {
  const words = parseShell(command).words;
  const data = dataWords(words);
  const programs = programsOf(words);
  for (const word of words) {
    checkDeadline();
    if (data.has(word)) continue;
    if (!word.quoted && BARE_WILDCARD.test(word.text) && !DUMPERS.has(programs.get(word.command) ?? '')) {
      // `ls *`, `grep -n TODO *`: a bare `*` names every file, not a secret one. It is a secret
      // only when its directory is (`secrets/*`). Programs that print or ship whole files still
      // have `cat *` expanded; the OS sandbox masks the files themselves.
      const dir = word.text.replace(/\/?\*+$/, '') || '.';
      const hit = checkCandidate(`${dir}/x`, matcher, ctx, false);
      if (hit) return { ...hit, token: word.text };
      continue;
    }
    for (const candidate of candidates(word.text, word.quoted)) {
      tick();
      const hit = checkCandidate(candidate, matcher, ctx, true);
      if (hit) return hit;
    }
  }
  return findSecretInGit(words, matcher, ctx);
}

/** `git show HEAD:.env` from a subdirectory, `git -C app log -p -- :/config/master.key`. */
function findSecretInGit(
  words: ShellWord[],
  matcher: SecretMatcher,
  ctx: GuardContext,
): SecretHit | undefined {
  for (const args of byCommand(words).values()) {
    tick();
    const i = programIndex(args);
    if (args[i]?.text.split('/').pop() !== 'git') continue;
    const rest = args.slice(i + 1).map((w) => expandVariables(w.text, ctx));
    for (const { token, paths } of gitBlobPaths(rest, ctx.cwd, ctx.projectDir)) {
      for (const path of paths) {
        checkDeadline();
        const hit = checkCandidate(path, matcher, ctx, true);
        if (hit) return { ...hit, token };
      }
    }
  }
  return undefined;
}

/** `*`, `./*`, `src/*`, `dir/**`: a wildcard that selects by location, not by name. */
const BARE_WILDCARD = /^(?:[^*?[]*\/)?\*+$/;

/** Programs whose output is whole file contents, or that copy files elsewhere. */
const DUMPERS = new Set(
  'cat tac head tail less more nl base64 base32 xxd od hexdump strings tar zip gzip cp scp rsync curl nc sort uniq awk sed paste diff cmp cut tee mail'.split(
    ' ',
  ),
);

/** Programs that only look at names and metadata (exists, size, type, ignore status), never contents. */
const STAT_ONLY = new Set([
  'test',
  '[',
  '[[',
  'ls',
  'stat',
  'du',
  'wc',
  'file',
  'realpath',
  'readlink',
  'basename',
  'dirname',
]);
const GIT_STAT_ONLY = new Set(['check-ignore', 'ls-files', 'status', 'rm']);
/** `:!x`, `:^x`, `:(exclude)x`, `:(top,exclude)x`: checked in one pass, no backtracking. */
function isGitExclude(word: string): boolean {
  if (word.startsWith(':!') || word.startsWith(':^')) return true;
  const magic = /^:\(([^)]*)\)/.exec(word)?.[1];
  return magic?.split(',').some((m) => m.trim() === 'exclude') === true;
}
const FIND_ACTIONS = /^-(?:exec|execdir|ok|okdir|fprint|fprint0|fprintf|fls)$/;

/** The program each simple command runs, after prefixes like `sudo` and `VAR=x`. */
function programsOf(words: ShellWord[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const [command, args] of byCommand(words)) {
    const i = programIndex(args);
    const program = args[i]?.text.split('/').pop();
    if (program) out.set(command, program);
  }
  return out;
}

function byCommand(words: ShellWord[]): Map<number, ShellWord[]> {
  const out = new Map<number, ShellWord[]>();
  for (const w of words) {
    tick();
    if (w.redirect) continue;
    // One list per command, grown in place: linear in the number of words.
    const list = out.get(w.command);
    if (list) list.push(w);
    else out.set(w.command, [w]);
  }
  return out;
}

function programIndex(args: ShellWord[]): number {
  let i = 0;
  while (i < args.length && (PREFIXES.has(args[i]!.text) || /^\w+=/.test(args[i]!.text))) i++;
  return i;
}

const PREFIXES = new Set(['sudo', 'env', 'command', 'nice', 'nohup', 'time', 'exec']);
const PATTERN_FIRST = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack']);

/**
 * Words a program takes as text, never as a file to open: what `echo`/`printf` print, a search
 * pattern, a commit message, and every argument of a program that only looks at names and
 * metadata (`test -f .env`, `ls -la .env`, `git check-ignore -v .env`). `echo .env >> .gitignore`
 * and `git commit -m "ignore .env"` are ordinary work. A word holding a command substitution is
 * never data: it runs code.
 */
function dataWords(words: ShellWord[]): Set<ShellWord> {
  const data = new Set<ShellWord>();
  for (const args of byCommand(words).values()) {
    tick();
    const i = programIndex(args);
    const program = args[i]?.text.split('/').pop();
    const rest = args.slice(i + 1);
    const statOnly =
      (program !== undefined && STAT_ONLY.has(program)) ||
      (program === 'git' && GIT_STAT_ONLY.has(rest[0]?.text ?? '')) ||
      (program === 'find' && !rest.some((w) => FIND_ACTIONS.test(w.text)));
    if (program === 'echo' || program === 'printf' || statOnly) {
      for (const w of rest) data.add(w);
    } else if (program && PATTERN_FIRST.has(program)) {
      const explicit = rest.some((w) => /^(-e|-f|--regexp|--file)(=|$)/.test(w.text));
      const pattern = rest.find((w) => !w.text.startsWith('-'));
      if (!explicit && pattern) data.add(pattern);
      rest.forEach((w, k) => {
        if (w.text === '-e' || w.text === '--regexp') data.add(rest[k + 1]!);
      });
    } else if (program === 'git') {
      // `git diff -- . ':!.env'`: an exclude pathspec keeps the secret out of the output.
      for (const w of rest) if (isGitExclude(w.text)) data.add(w);
      const texts = rest.map((w) => w.text);
      const { at } = gitSubcommand(texts, '/');
      if (texts[at] === 'grep') for (const k of grepPatterns(texts, at)) if (rest[k]) data.add(rest[k]);
    }
    if (program === 'git' && rest[0]?.text === 'commit') {
      rest.forEach((w, k) => {
        if (w.text === '-m' || w.text === '--message') data.add(rest[k + 1]!);
        else if (/^(-m.|--message=)/.test(w.text)) data.add(w);
      });
    }
  }
  for (const w of data) if (w === undefined || /\$\(|`/.test(w.text)) data.delete(w);
  return data;
}

/** Path-looking pieces of a shell word: itself, option values, and paths inside quoted code. */
function candidates(text: string, quoted: boolean): string[] {
  if (text === '' || text.length > 4096) return text ? pathPieces(text) : [];
  const out = [text];
  const eq = text.indexOf('=');
  if (eq >= 0) out.push(text.slice(eq + 1));
  const colon = text.indexOf(':');
  if (colon >= 0 && !text.includes('://')) out.push(text.slice(colon + 1));
  if (quoted || /[^\w./~${}*?[\]@+,:=-]/.test(text)) out.push(...pathPieces(text));
  // `curl -d @.env`, `--data-binary=@.env`: @ means "the contents of this file".
  for (const c of out) if (c.startsWith('@')) out.push(c.slice(1));
  return out;
}

/** Runs of path characters inside code: `open('.env')` → `open`, `.env`. */
function pathPieces(text: string): string[] {
  return text.match(/[\w./~${}*?@+-]+/g) ?? [];
}

function checkCandidate(
  raw: string,
  matcher: SecretMatcher,
  ctx: GuardContext,
  shellGlobs: boolean,
): SecretHit | undefined {
  // Longer than PATH_MAX: no program can open it as a path.
  if (raw.length > 4096) return undefined;
  const expanded = expandVariables(raw, ctx);
  if (expanded === '' || (expanded.startsWith('-') && !expanded.includes('/'))) return undefined;
  const path = isAbsolute(expanded) ? resolve(expanded) : resolve(ctx.cwd, expanded);
  const id = matcher.match(path);
  if (id) return { id, token: raw, path };
  if (shellGlobs && /[*?[]/.test(expanded)) return matchShellGlob(raw, path, matcher);
  return undefined;
}

/** `$HOME`, `${HOME}`, `~`, `$PWD`, `$CLAUDE_PROJECT_DIR`: the expansions that name paths. */
function expandVariables(text: string, ctx: GuardContext): string {
  let out = text;
  if (out === '~' || out.startsWith('~/')) out = ctx.home + out.slice(1);
  if (!out.includes('$')) return out;
  return out.replace(/\$\{?(HOME|PWD|CLAUDE_PROJECT_DIR|OLDPWD)\}?(?![\w])/g, (_, name: string) =>
    name === 'HOME' ? ctx.home : name === 'CLAUDE_PROJECT_DIR' ? ctx.projectDir : ctx.cwd,
  );
}

/** A shell glob (`cat .e*`, `cat secrets/*`): what it would expand to on disk, one level deep. */
function matchShellGlob(raw: string, path: string, matcher: SecretMatcher): SecretHit | undefined {
  const dir = dirname(path);
  if (/[*?[]/.test(dir)) return undefined;
  const last = path.slice(dir.length + 1);
  // A shell glob skips dot files unless it starts with a dot itself.
  const hidden = last.startsWith('.');
  const hitOn = (name: string): SecretHit | undefined => {
    if ((name.startsWith('.') && !hidden) || !wildcardMatch(last, name)) return undefined;
    const full = `${dir === '/' ? '' : dir}/${name}`;
    const id = matcher.match(full);
    return id ? { id, token: raw, path: full } : undefined;
  };
  // The refusal names the first secret in the shell's (sorted) order, without sorting them all.
  let first: { name: string; hit: SecretHit } | undefined;
  for (const name of namesIn(dir)) {
    checkDeadline();
    if (first && name >= first.name) continue;
    const hit = hitOn(name);
    if (hit) first = { name, hit };
  }
  if (first) return first.hit;
  for (const name of globSamples(last)) {
    const hit = hitOn(name);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The names in a directory, read a batch at a time on the guard's clock: the agent can fill a
 * directory with millions of names, and one `readdirSync` of them could not be stopped.
 */
function namesIn(dir: string): string[] {
  const names: string[] = [];
  let handle: Dir;
  try {
    handle = opendirSync(dir);
  } catch {
    return names;
  }
  try {
    for (;;) {
      tick();
      let entry: Dirent | null;
      try {
        entry = handle.readSync();
      } catch {
        return names;
      }
      if (!entry) return names;
      names.push(entry.name);
    }
  } finally {
    handle.closeSync();
  }
}

/** Names a glob could stand for without looking at the disk: `.env*` → `.env`. */
function globSamples(glob: string): string[] {
  return [glob.replace(/\*+/g, ''), glob.replace(/\*+/g, 'x')].filter((s) => !/[?[]/.test(s));
}
