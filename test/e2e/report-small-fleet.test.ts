import { execFile } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';
import {
  type FirstScreenSeen,
  firstScreenProblems,
  HAS_CHROMIUM,
  READ_FIRST_SCREEN,
  screenshotDir,
  withChromium,
} from '../helpers/report-page.js';
import { runCli } from '../helpers/run-cli.js';
import { HOOK } from '../hooks/run-hook.js';

// The fleet every org starts with: three repos onboarded today, four real sessions through the
// hook, one team that edited a managed skill (a warning, not an emergency).
const TEAMS = ['payments', 'search', 'web'];

async function onboard(root: string, team: string): Promise<string> {
  const dest = join(root, team);
  renameSync(gitdir({ 'README.md': `# ${team}\n`, '.gitignore': '.env\n' }), dest);
  const init = await runCli(['init', '--team', team, '--champion', `@${team}-lead`, '--yes'], { cwd: dest });
  expect(init.code, init.stderr).toBe(0);
  git(dest, 'add', '-A');
  git(dest, 'commit', '-qm', 'onboard to the spine');
  writeFileSync(join(dest, '.env'), 'TOKEN=x\n'); // untracked, as it should be
  return dest;
}

/** Runs the hook as the client does (payload on stdin, CLAUDE_PROJECT_DIR set), without blocking. */
function hook(repo: string, payload: object): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(repo, HOOK)],
      { cwd: repo, env: { ...process.env, CLAUDE_PROJECT_DIR: repo } },
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
    child.stdin?.end(JSON.stringify(payload));
  });
}

/** One session: start, a command, one read of .env refused, stop. Events in order, as the client sends them. */
async function session(repo: string, id: string): Promise<void> {
  const base = { session_id: id, transcript_path: join(repo, `${id}.jsonl`), cwd: repo };
  const bash = { tool_name: 'Bash', tool_input: { command: 'echo hi' }, tool_use_id: `${id}-1` };
  await hook(repo, { ...base, hook_event_name: 'SessionStart', source: 'startup' });
  await hook(repo, { ...base, hook_event_name: 'PreToolUse', ...bash });
  await hook(repo, { ...base, hook_event_name: 'PostToolUse', ...bash, tool_response: { stdout: 'hi' } });
  const refused = await hook(repo, {
    ...base,
    hook_event_name: 'PreToolUse',
    tool_name: 'Read',
    tool_input: { file_path: join(repo, '.env') },
    tool_use_id: `${id}-env`,
  });
  expect(refused.stdout).toContain('deny');
  await hook(repo, { ...base, hook_event_name: 'Stop', stop_hook_active: false });
  await hook(repo, { ...base, hook_event_name: 'SessionEnd', reason: 'other' });
}

describe('spine report on a small real fleet: three repos onboarded today, four sessions', () => {
  let root: string;
  let json: any;
  let terminal: string;
  beforeAll(async () => {
    root = tempDir('spine-small-fleet-');
    const [payments, search, web] = await Promise.all(TEAMS.map((t) => onboard(root, t)));
    // Sessions run side by side, as on a real fleet (two of them in the same repo).
    await Promise.all([
      session(payments!, 's1'),
      session(payments!, 's2'),
      session(search!, 's3'),
      session(web!, 's4'),
    ]);
    writeFileSync(join(search!, '.claude/skills/review-change/SKILL.md'), 'our own note\n', { flag: 'a' });
    const [page, text] = await Promise.all([
      runCli(['report', ...TEAMS, '--html', 'report.html', '--json'], { cwd: root }),
      runCli(['report', ...TEAMS], { cwd: root }),
    ]);
    expect(page.code, page.stderr).toBe(0);
    expect(text.code, text.stderr).toBe(0);
    json = JSON.parse(page.stdout);
    terminal = text.stdout;
  }, 120_000);

  // The rate counts complete weeks (Monday to Sunday): on a Sunday today's sessions are in them,
  // on any other day they belong to the week in progress and count once it ends.
  const sunday = () => new Date(`${json.asOf}T00:00:00Z`).getUTCDay() === 0;

  it('says in one sentence what it knows, what it cannot judge yet and when it can', () => {
    expect(json.summary).toBe(
      `3 teams onboarded, all on the latest release (1.0.0), guardrails intact (1 repo with a warning to look at), too little activity yet to judge ramp, reuse and near-misses — check again after 1 more session${sunday() ? '' : ' and the end of this week'}; nothing to do this week.`,
    );
    expect(terminal.split('\n')[1]).toBe(json.summary);
  });

  it('a warning makes the guardrails verdict watch, not act, and nothing contradicts "nothing to do"', () => {
    const status = Object.fromEntries(json.headline.map((h: any) => [h.key, h.status]));
    expect(status).toEqual({
      ramp: 'no-data',
      reuse: 'no-data',
      'near-misses': 'no-data',
      lag: 'on-track',
      drift: 'watch',
    });
    expect(json.recommendations).toEqual([]);
    // Skills installed today are not "dead": the data does not reach back 60 days.
    expect(json.skills.filter((s: any) => s.dead)).toEqual([]);
    const nearMisses = json.headline.find((h: any) => h.key === 'near-misses');
    expect(nearMisses.display).toBe(
      sunday()
        ? 'needs 5 sessions in the last 4 weeks for a rate (4 so far)'
        : 'needs 5 sessions in the last 4 weeks for a rate (0 so far; 4 this week, counted when it ends)',
    );
  });

  it.skipIf(!HAS_CHROMIUM)(
    'reads at 1,400 and 420 px: the sentence on top, no chart without data, what each empty section needs, nothing sideways',
    async () => {
      const shots = screenshotDir();
      await withChromium(async (context) => {
        for (const width of [1400, 420]) {
          const page = await context.newPage();
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`file://${join(root, 'report.html')}`);
          const seen = (await page.evaluate(READ_FIRST_SCREEN)) as FirstScreenSeen;
          const where = `${width}px`;
          expect(seen.summary, where).toBe(json.summary);
          expect(firstScreenProblems(seen), where).toEqual([]);
          expect(
            seen.cards.map((c) => c.status),
            where,
          ).toEqual(['no-data', 'no-data', 'no-data', 'on-track', 'watch']);
          expect(seen.nothingToDo, where).toBe(true);
          expect(seen.emptyCharts, where).toEqual([]);
          expect(seen.needs, where).toEqual(['parity', 'heatmap', 'reuse', 'near-miss', 'lag']);
          expect(seen.jargon, where).toEqual([]);
          expect(seen.sideways, where).toEqual([]);
          expect(seen.pageWidth, where).toBeLessThanOrEqual(width);
          await page.screenshot({ path: join(shots, `report-small-fleet-${width}.png`), fullPage: true });
          await page.close();
        }
      });
    },
  );
});
