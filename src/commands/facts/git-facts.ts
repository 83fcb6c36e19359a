import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, utcDate, weekOf } from '../../core/report/dates.js';
import type { GitWeek } from '../../core/report/facts.js';
import { git } from '../../io/git.js';
import { runGit } from './git-run.js';

/** How far back the weekly series reaches: enough for a pre-spine baseline and a ramp. */
export const HISTORY_WEEKS = 156;
const AGENT_TRAILER = /\bclaude\b/i;
const WEEKLY_FORMAT = '--format=%aI%x1f%ae%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)';
const LOCK_FORMAT = '--format=%x1e%cI';

/** origin's default branch when the clone knows it, else whatever is checked out. */
export function defaultBranch(root: string): string {
  try {
    const ref = readFileSync(join(root, '.git', 'refs', 'remotes', 'origin', 'HEAD'), 'utf8');
    const match = /^ref: refs\/remotes\/(.+)$/m.exec(ref);
    if (match) return match[1]!.trim();
  } catch {
    // No origin/HEAD (a fresh or CI clone): HEAD is the branch that was pushed.
  }
  return 'HEAD';
}

export interface LockHistory {
  t0: string | null;
  history: { date: string; version: string }[];
  /** Date of the newest commit that touched the lock (doctor findings on it are at least that old). */
  lastTouched: string | null;
}

export interface GitFacts {
  weeks: GitWeek[];
  lock: LockHistory;
}

/** The weekly series and the lock's history: two `git log`s, run from one shell (see runGit). */
export async function readGitFacts(
  root: string,
  branch: string,
  lockPath: string,
  now: Date,
): Promise<GitFacts> {
  const since = addDays(utcDate(now), -7 * HISTORY_WEEKS);
  const weeklyArgs = ['log', branch, '--no-merges', `--since=${since}`, WEEKLY_FORMAT];
  const lockArgs = ['log', LOCK_FORMAT, '-p', '-U0', '--no-ext-diff', '--', lockPath];
  // A failed log (no commits yet) is an empty one.
  const [weekly, lock] = await runGit(root, [weeklyArgs, lockArgs]);
  return { weeks: parseWeeklyLog(weekly ?? ''), lock: parseLockLog(lock ?? '') };
}

/** Weekly commits, active contributors and agent co-authored commits. */
export function parseWeeklyLog(text: string): GitWeek[] {
  const weeks = new Map<string, { commits: number; authors: Set<string>; agent: number }>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [date, email = '', trailers = ''] = line.split('\x1f');
    const week = weekOf(utcDate(date!));
    const w = weeks.get(week) ?? { commits: 0, authors: new Set<string>(), agent: 0 };
    weeks.set(week, w);
    w.commits++;
    w.authors.add(email.toLowerCase());
    if (trailers.split('\x1d').some((t) => AGENT_TRAILER.test(t))) w.agent++;
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, w]) => ({ week, commits: w.commits, contributors: w.authors.size, agentCommits: w.agent }));
}

/**
 * Every commit that touched the lock (`git log -p -U0`, newest first): t0 is the oldest commit that
 * added the file, and each commit's `+ "version"` line inside the spine block is the version it moved to.
 */
export function parseLockLog(text: string): LockHistory {
  let t0: string | null = null;
  let lastTouched: string | null = null;
  const history: LockHistory['history'] = [];
  for (const chunk of text.split('\x1e')) {
    if (!chunk.trim()) continue;
    const date = utcDate(chunk.split('\n', 1)[0]!.trim());
    lastTouched ??= date;
    if (/^new file mode/m.test(chunk)) t0 = date; // log is newest first: the last one wins
    const version = /^\+ {4}"version": "([^"]+)"/m.exec(chunk)?.[1];
    if (version) history.push({ date, version });
  }
  return { t0, history: history.reverse(), lastTouched };
}

/** Date of the last commit that touched a path, if any. */
/**
 * The date of the last commit touching each path (a file, or a directory's files), from one
 * `git log` for all of them: a repo with a removed guardrail has one finding per rule, all on the
 * same settings file, and a process per finding made doctor inside the report cost seconds.
 */
export async function lastTouchedAll(root: string, paths: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(paths)].filter((p) => p && !/^(\/|~|\.\.(\/|$))/.test(p));
  const found = new Map<string, string>();
  if (wanted.length === 0) return found;
  let out: string;
  try {
    out = await git(root, ['log', '--format=%x01%cI', '--name-only', '--', ...wanted]);
  } catch {
    return found;
  }
  let date = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('\x01')) {
      date = utcDate(line.slice(1));
      continue;
    }
    if (!line || !date) continue;
    for (const p of wanted)
      if (!found.has(p) && (line === p || line.startsWith(`${p.replace(/\/$/, '')}/`))) found.set(p, date);
    if (found.size === wanted.length) break;
  }
  return found;
}

/**
 * Weekly commits per team zone (docs/monorepos.md): a commit counts for each zone whose files it
 * touches, and for `rest` when it touches a file in none. One more `git log --name-only`, run only
 * in a repo that declares zones.
 */
export async function readZoneGitWeeks(
  root: string,
  branch: string,
  now: Date,
  zoneOf: (path: string) => string | undefined,
  rest: string,
): Promise<Map<string, GitWeek[]>> {
  const since = addDays(utcDate(now), -7 * HISTORY_WEEKS);
  const format = WEEKLY_FORMAT.replace('--format=', '--format=%x1e');
  const [text] = await runGit(root, [
    ['log', branch, '--no-merges', `--since=${since}`, format, '--name-only'],
  ]);
  const lines = new Map<string, string[]>();
  for (const chunk of (text ?? '').split('\x1e')) {
    const [header, ...files] = chunk.split('\n');
    if (!header) continue;
    const zones = new Set(files.filter(Boolean).map((f) => zoneOf(f) ?? rest));
    for (const zone of zones) lines.set(zone, [...(lines.get(zone) ?? []), header]);
  }
  return new Map([...lines].map(([zone, headers]) => [zone, parseWeeklyLog(headers.join('\n'))]));
}
