import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditDay, createTeamRepo, mondays, weeklyCommits } from '../helpers/fleet.js';
import { tempDir } from '../helpers/gitdir.js';
import { HAS_CHROMIUM, screenshotDir, withChromium } from '../helpers/report-page.js';
import { runCli } from '../helpers/run-cli.js';

// Evaluated in the page, not in Node.
declare const document: { body: { scrollWidth: number } };
declare const innerWidth: number;
declare function getComputedStyle(element: object): { backgroundColor: string };

const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };

describe.skipIf(!HAS_CHROMIUM)('spine report --html in a real browser', () => {
  it('renders every chart with its table, offline, in light and dark mode, without console errors', async () => {
    const root = tempDir('spine-html-');
    for (const [i, team] of ['alpha', 'beta', 'gamma'].entries()) {
      const t0 = ['2030-01-07', '2030-02-04', '2030-02-18'][i]!;
      createTeamRepo(join(root, team), {
        team,
        commits: [
          ...weeklyCommits(mondays('2029-11-12', t0), 5, 1),
          ...weeklyCommits(mondays(t0, '2030-03-18'), 5, 1 + (i === 2 ? 0 : 1)),
        ],
        lock: [{ date: t0, version: i === 0 ? '1.1.0' : '1.0.0' }],
        sharedSkills: [{ name: 'review-change' }, { name: 'handle-secrets' }],
        audit: Object.fromEntries(
          mondays('2030-02-25', '2030-03-18').map((w, k) => [
            w,
            auditDay({
              day: w,
              sessions: 5,
              toolCalls: 200,
              nearMisses: { 'secret-dotenv': 6 - k },
              skillTool: { 'review-change': i + 1 },
            }),
          ]),
        ),
      });
    }
    const result = await runCli(
      ['report', 'alpha', 'beta', 'gamma', '--no-doctor', '--html', 'report.html'],
      {
        cwd: root,
        env: NOW,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = readFileSync(join(root, 'report.html'), 'utf8');
    // Self-contained: nothing is loaded from the network (no external image, style or font); a
    // plain link a reader may follow (the docs behind "How this is computed") loads nothing.
    expect(html).not.toMatch(/\ssrc="https?:/);
    expect(html).not.toMatch(/<link[^>]*href="https?:/);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/);
    expect([...html.matchAll(/<a [^>]*href="(https?:[^"]*)"/g)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^https:\/\/github\.com\/.*docs\/report\.md/),
    ]);
    expect(html).not.toContain('<script');

    const shots = screenshotDir();
    await withChromium(async (context) => {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await context.newPage();
        await page.setViewportSize({ width: 1200, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        const errors: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) requests.push(r.url());
        });
        await page.goto(`file://${join(root, 'report.html')}`);
        const charts = await page.$$eval('figure[data-chart]', (figs) =>
          figs.map((f) => ({
            id: f.getAttribute('data-chart'),
            svg: f.querySelectorAll('svg').length,
            marks: f.querySelectorAll('svg path, svg rect, svg circle').length,
            rows: f.querySelectorAll('table tbody tr').length,
          })),
        );
        expect(charts.map((c) => c.id)).toEqual(['cohort', 'heatmap', 'near-miss', 'lag']);
        for (const c of charts) {
          expect(c.svg, c.id!).toBeGreaterThanOrEqual(1);
          expect(c.marks, c.id!).toBeGreaterThan(0);
          expect(c.rows, c.id!).toBeGreaterThan(0);
        }
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(bg).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
        expect(errors).toEqual([]);
        expect(requests).toEqual([]);
        await page.screenshot({
          path: join(shots, `report-${scheme}.png`),
          fullPage: true,
        });
        await page.emulateMedia({ media: 'print' });
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
          'rgb(255, 255, 255)',
        );
        await page.close();
      }
    });
  });

  it('draws a row per team zone of a repo teams share, under the repo rows, readable on a phone', async () => {
    const root = tempDir('spine-html-zones-');
    createTeamRepo(join(root, 'mono'), {
      team: 'platform',
      commits: weeklyCommits(mondays('2030-01-07', '2030-03-18'), 5, 2),
      lock: [{ date: '2030-01-07', version: '1.0.0' }],
      sharedSkills: [{ name: 'review-change' }],
    });
    const collected = await runCli(['facts', '--json'], { cwd: join(root, 'mono'), env: NOW });
    expect(collected.code, collected.stderr).toBe(0);
    const facts = JSON.parse(collected.stdout);
    const day = (sessions: number, misses: number) => ({
      date: '2030-03-18',
      sessions,
      toolCalls: sessions * 40,
      nearMisses: misses ? { 'secret-dotenv': misses } : {},
      nearMissSessions: misses ? { 'secret-dotenv': 1 } : {},
      skillUses: { 'review-change': sessions },
    });
    facts.activity = { days: [day(9, 4)] };
    facts.zones = [
      { team: 'payments', champion: '@alice', days: [day(5, 3)] },
      { team: 'web', champion: '@bob', days: [day(3, 1)] },
      { team: 'platform', champion: null, days: [day(1, 0)] },
    ];
    writeFileSync(join(root, 'facts.json'), JSON.stringify(facts));
    const result = await runCli(['report', '--facts', 'facts.json', '--no-doctor', '--html', 'report.html'], {
      cwd: root,
      env: NOW,
    });
    expect(result.code, result.stderr).toBe(0);

    const shots = screenshotDir();
    await withChromium(async (context) => {
      const page = await context.newPage();
      await page.goto(`file://${join(root, 'report.html')}`);
      const zoneRows = await page.$$eval('table', (tables) => {
        const zones = tables.find((t) => /team zone/.test(t.querySelector('caption')?.textContent ?? ''));
        return [...(zones?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
          [...tr.querySelectorAll('th, td')].map((c) => c.textContent),
        );
      });
      expect(zoneRows).toEqual([
        ['mono', 'payments', '@alice', '5', '200', '3', '5', '2030-03-18'],
        ['mono', 'web', '@bob', '3', '120', '1', '3', '2030-03-18'],
        ['mono', 'platform', '–', '1', '40', '0', '1', '2030-03-18'],
      ]);
      for (const width of [1200, 390]) {
        await page.setViewportSize({ width, height: 900 });
        // On a phone the zone table stacks its rows: nothing runs off the page's side.
        expect(await page.evaluate(() => document.body.scrollWidth <= innerWidth)).toBe(true);
        await page
          .locator('h2:text("Repos") ~ .table-wrap')
          .last()
          .screenshot({
            path: join(shots, `report-zones-${width}.png`),
          });
      }
    });
  });
});
