import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, utcDate, weekOf } from '../../core/report/dates.js';
import type { GitWeek } from '../../core/report/facts.js';
import { git } from '../../io/git.js';

/** How far back the weekly series reaches: enough for a pre-spine baseline and a ramp. */
export const HISTORY_WEEKS = 156;
const AGENT_TRAILER = /\bclaude\b/i;

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

/** Weekly commits, active contributors and agent co-authored commits, from one `git log`. */
export async function weeklySeries(root: string, branch: string, now: Date): Promise<GitWeek[]> {
  const since = addDays(utcDate(now), -7 * HISTORY_WEEKS);
  let text: string;
  try {
    text = await git(root, [
      'log',
      branch,
      '--no-merges',
      `--since=${since}`,
      '--format=%aI%x1f%ae%x1f%(trailers:key=Co-authored-by,valueonly,separator=%x1d)',
    ]);
  } catch {
    return []; // no commits yet
  }
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

export interface LockHistory {
  t0: string | null;
  history: { date: string; version: string }[];
}

/**
 * Every commit that touched the lock, from one `git log -p -U0`: t0 is the oldest commit that
 * added the file, and each commit's `+ "version"` line inside the spine block is the version it moved to.
 */
export async function lockHistory(root: string, lockPath: string): Promise<LockHistory> {
  let text: string;
  try {
    text = await git(root, ['log', '--format=%x1e%cI', '-p', '-U0', '--no-ext-diff', '--', lockPath]);
  } catch {
    return { t0: null, history: [] };
  }
  let t0: string | null = null;
  const history: LockHistory['history'] = [];
  for (const chunk of text.split('\x1e')) {
    if (!chunk.trim()) continue;
    const date = utcDate(chunk.split('\n', 1)[0]!.trim());
    if (/^new file mode/m.test(chunk)) t0 = date; // log is newest first: the last one wins
    const version = /^\+ {4}"version": "([^"]+)"/m.exec(chunk)?.[1];
    if (version) history.push({ date, version });
  }
  return { t0, history: history.reverse() };
}

/** Date of the last commit that touched a path, if any. */
export async function lastTouched(root: string, path: string): Promise<string | undefined> {
  try {
    const out = await git(root, ['log', '-1', '--format=%cI', '--', path]);
    return out ? utcDate(out) : undefined;
  } catch {
    return undefined;
  }
}
