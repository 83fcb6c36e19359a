import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFleetFacts } from '../helpers/fleet-facts.js';
import { tempDir } from '../helpers/gitdir.js';
import {
  type FirstScreenSeen,
  firstScreenProblems,
  HAS_CHROMIUM,
  READ_FIRST_SCREEN,
  screenshotDir,
  withChromium,
} from '../helpers/report-page.js';
import { runCli } from '../helpers/run-cli.js';

const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };

async function reportOf(calm: boolean): Promise<{ dir: string; json: any }> {
  const dir = tempDir(calm ? 'spine-calm-' : 'spine-busy-');
  writeFleetFacts(join(dir, 'facts'), calm);
  const result = await runCli(['report', '--facts', 'facts', '--html', 'report.html', '--json'], {
    cwd: dir,
    env: NOW,
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { dir, json: JSON.parse(result.stdout) };
}

describe('the first screen over a 12-team fleet', () => {
  let busy: { dir: string; json: any };
  let calm: { dir: string; json: any };
  beforeAll(async () => {
    [busy, calm] = await Promise.all([reportOf(false), reportOf(true)]);
  });

  it('ranks one recommendation of each kind the fleet plants, most impact first, each with a command and who', () => {
    const recs = busy.json.recommendations;
    expect(recs.map((r: any) => r.kind)).toEqual([
      'locked-removed',
      'repair-drift',
      'behind',
      'behind',
      'noisy-rule',
      'slow-ramp',
      'slow-ramp',
      'contribute',
      'dead-skill',
      'quiet-rule',
    ]);
    expect(recs[0]).toMatchObject({
      title: expect.stringContaining('kilo'),
      evidence: expect.stringMatching(/^18 locked rule\(s\).*81\.\d near-misses per 1,000 calls against/),
      command: expect.stringMatching(/^spine doctor --fix/),
      who: '@kilo-lead',
    });
    // golf has doctor errors but no locked rule removed: a repair, below the locked one.
    expect(recs[1]).toMatchObject({
      title: expect.stringContaining('golf'),
      command: expect.stringMatching(/^spine doctor --fix/),
      resolves: 'drift',
    });
    expect(recs[2]).toMatchObject({
      title: 'Move india to 1.3.0',
      command: 'spine update',
      who: '@india-lead',
    });
    expect(recs[2].evidence).toContain('3 releases behind');
    expect(recs[3].title).toBe('Move juliet to 1.3.0');
    expect(recs[4].title).toContain('git-push-ask');
    // Ramp says act and nothing else resolves it: the teams past the watch line get a move each.
    expect(recs.filter((r: any) => r.kind === 'slow-ramp').map((r: any) => r.who)).toEqual([
      '@charlie-lead',
      '@foxtrot-lead',
    ]);
    expect(recs[7]).toMatchObject({
      evidence: 'local skills flaky-test-triage, flaky-tests-triage, triage-flaky-test in bravo, echo, golf',
      command: expect.stringMatching(/^spine contribute flaky-test-triage/),
      who: '@bravo-lead',
    });
    expect(recs[8].title).toContain('legacy-lint');
    expect(recs[9]).toMatchObject({ title: expect.stringContaining('curl-pipe-sh') });
    // lima is one release behind: not a recommendation (the threshold is two).
    expect(recs.some((r: any) => r.title.includes('lima'))).toBe(false);
  });

  it('gives each question a status, a change and the teams driving it', () => {
    const h = Object.fromEntries(busy.json.headline.map((x: any) => [x.key, x]));
    expect(Object.keys(h)).toEqual(['ramp', 'reuse', 'near-misses', 'lag', 'drift']);
    expect(h.drift.status).toBe('act');
    expect(h.drift.drivers[0]).toMatch(/^kilo .*18 locked rule/);
    expect(h.ramp.status).toBe('act');
    expect(h.ramp.drivers[0]).toMatch(/^charlie: not there after \d+ weeks/);
    expect(h.lag).toMatchObject({
      status: 'watch',
      drivers: ['india: 3 releases behind', 'juliet: 2 releases behind'],
    });
    expect(h['near-misses'].drivers[0]).toMatch(/^kilo: 8\d\.\d per 1,000/);
    expect(h['near-misses'].disagree).toContainEqual({ team: 'juliet', verdict: 'rising' });
    for (const x of busy.json.headline) expect(x.change).toMatch(/vs the 4 weeks before|since last period/);
    // Reuse is about team-contributed skills only: review-change (from alpha) used by the 11 others.
    expect(h.reuse.drivers[0]).toBe('review-change (from alpha): used by 11 other team(s)');
  });

  it('opens with one sentence that agrees with the verdicts', () => {
    expect(busy.json.summary).toBe(
      '12 teams onboarded, 9 of 12 on the latest release (1.3.0), locked guardrails removed in 1 repo, act on ramp and guardrails, watch near-misses, reuse on track; 10 things to do this week.',
    );
    expect(calm.json.summary).toMatch(
      /^12 teams onboarded, all on the latest release \(1\.3\.0\), guardrails intact, ramp, reuse and near-misses on track; nothing to do this week\.$/,
    );
    // Every verdict that says act has a move on This week that resolves it.
    for (const report of [busy.json, calm.json])
      for (const h of report.headline.filter((x: any) => x.status === 'act'))
        expect(
          report.recommendations.some((r: any) => r.resolves === h.key),
          h.key,
        ).toBe(true);
  });

  it('on a calm fleet: every verdict on track and nothing to do', () => {
    expect(calm.json.headline.map((x: any) => x.status)).toEqual(Array(5).fill('on-track'));
    expect(calm.json.recommendations).toEqual([]);
    const html = readFileSync(join(calm.dir, 'report.html'), 'utf8');
    expect(html).toContain('data-recommendations="0"');
    expect(html).toContain('Nothing needs doing');
  });

  it.skipIf(!HAS_CHROMIUM)(
    'reads at 1,400 and 420 px, light and dark: statuses, legends, titled axes, no text under 11 px, no page overflow',
    async () => {
      const shots = screenshotDir();
      await withChromium(async (context) => {
        for (const width of [1400, 420])
          for (const scheme of ['light', 'dark'] as const) {
            const page = await context.newPage();
            await page.setViewportSize({ width, height: 900 });
            await page.emulateMedia({ colorScheme: scheme });
            await page.goto(`file://${join(busy.dir, 'report.html')}`);
            const where = `${width}px ${scheme}`;
            const facts = (await page.evaluate(MEASURE)) as Measured;
            expect(facts.statuses, where).toEqual(['act', 'on-track', 'watch', 'watch', 'act']);
            expect(facts.recommendations, where).toBe(10);
            expect(facts.charts.length, where).toBeGreaterThanOrEqual(4);
            for (const c of facts.charts) {
              expect(c.legendItems, `${where} ${c.id} legend`).toBeGreaterThan(0);
              expect(c.untitledSvgs, `${where} ${c.id} axis titles`).toBe(0);
            }
            expect(facts.smallText, `${where} text under 11 px`).toEqual([]);
            expect(facts.scrollWidth, `${where} page overflow`).toBeLessThanOrEqual(width);
            expect(facts.misaligned, `${where} header/number alignment`).toEqual([]);
            expect(facts.wrappedDates, `${where} wrapped dates`).toEqual([]);
            const seen = (await page.evaluate(READ_FIRST_SCREEN)) as FirstScreenSeen;
            expect(seen.summary, where).toBe(busy.json.summary);
            expect(firstScreenProblems(seen), where).toEqual([]);
            expect(seen.emptyCharts, where).toEqual([]);
            expect(seen.needs, where).toEqual([]);
            expect(seen.jargon, where).toEqual([]);
            expect(seen.sideways, where).toEqual([]);
            await page.screenshot({ path: join(shots, `report-${width}-${scheme}-first-screen.png`) });
            await page.screenshot({ path: join(shots, `report-${width}-${scheme}.png`), fullPage: true });
            await page.close();
          }
      });
    },
  );
});

interface Measured {
  statuses: string[];
  recommendations: number;
  charts: { id: string; legendItems: number; untitledSvgs: number }[];
  smallText: string[];
  scrollWidth: number;
  misaligned: string[];
  wrappedDates: string[];
}

// Runs in the page (a string: the test's TypeScript has no DOM types).
const MEASURE = `(() => {
  const statuses = [...document.querySelectorAll('[data-verdict]')].map((e) => e.dataset.status);
  const recommendations = document.querySelectorAll('ol.todo > li').length;
  const charts = [...document.querySelectorAll('figure[data-chart]')].map((f) => ({
    id: f.dataset.chart,
    legendItems: f.querySelectorAll('.legend span').length,
    untitledSvgs: [...f.querySelectorAll('svg.chart')].filter((s) => s.querySelectorAll('text.axis-title').length < 2).length,
  }));
  const smallText = [];
  for (const t of document.querySelectorAll('svg.chart text')) {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < 10.95) smallText.push(t.textContent + ' ' + px.toFixed(1) + 'px');
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg') || el.closest('title')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 10.95) smallText.push(n.textContent.trim().slice(0, 30) + ' ' + px + 'px');
  }
  const misaligned = [];
  for (const table of document.querySelectorAll('table')) {
    const head = [...table.querySelectorAll('thead th')];
    for (const row of table.querySelectorAll('tbody tr')) {
      [...row.children].forEach((cell, i) => {
        if (i === 0 || !head[i] || row.children.length !== head.length) return;
        const a = getComputedStyle(cell).textAlign;
        const b = getComputedStyle(head[i]).textAlign;
        const numeric = /^[−+-]?[\\d,.]+%?$/.test(cell.textContent.trim());
        if (numeric && (a !== 'right' || b !== 'right'))
          misaligned.push(table.caption.textContent + ': ' + head[i].textContent + ' header ' + b + ', number ' + a);
      });
    }
  }
  const wrappedDates = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!/\\d{4}-\\d{2}-\\d{2}/.test(cell.textContent)) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    if (lines.size > 1) wrappedDates.push(cell.textContent.slice(0, 40));
  }
  return { statuses, recommendations, charts, smallText: [...new Set(smallText)].slice(0, 20), scrollWidth: document.documentElement.scrollWidth, misaligned: [...new Set(misaligned)].slice(0, 20), wrappedDates: wrappedDates.slice(0, 20) };
})()`;
