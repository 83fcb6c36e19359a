// Reading a report page in real Chromium as a platform lead would: what the first screen says,
// whether its verdicts and "This week" agree, and whether anything is drawn without data.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { tempDir } from './gitdir.js';
import { REPO_ROOT } from './run-cli.js';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Where screenshots go: SPINE_SCREENSHOTS=<dir> to keep them for a person to look at. */
export function screenshotDir(): string {
  const dir = process.env.SPINE_SCREENSHOTS || join(REPO_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A headless Chromium on a new, empty profile (no extensions, cached state or sign-in) that makes
 * no requests of its own, so a test can assert that a page loads nothing from the network.
 */
export async function withChromium<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await chromium.launchPersistentContext(tempDir('spine-chromium-'), {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    return await use(context);
  } finally {
    await context.close();
  }
}

export interface FirstScreenSeen {
  summary: string;
  cards: { key: string; status: string; todoLink: string | null }[];
  recommendations: { resolves: string; id: string }[];
  nothingToDo: boolean;
  /** Figures whose charts draw no value: axes without a line, bar or filled cell. */
  emptyCharts: string[];
  /** The one-line "needs …" of each section without enough data. */
  needs: string[];
  /** Text or tables that scroll sideways inside the page (charts may, to keep their labels legible). */
  sideways: string[];
  pageWidth: number;
  /** Statistics words outside the "How this is computed" section. */
  jargon: string[];
}

/** Runs in the page (a string: the test's TypeScript has no DOM types). */
export const READ_FIRST_SCREEN = `(() => {
  const cards = [...document.querySelectorAll('[data-verdict]')].map((e) => ({
    key: e.dataset.verdict,
    status: e.dataset.status,
    todoLink: e.querySelector('.todo-link a')?.getAttribute('href') ?? null,
  }));
  const recommendations = [...document.querySelectorAll('ol.todo > li')].map((li) => ({ resolves: li.dataset.resolves, id: li.id }));
  const drawn = (svg) =>
    svg.querySelectorAll('circle, rect.h0, rect.h1, rect.h2, rect.h3, rect.h4, rect.l0, rect.l1, rect.l2, rect.l3').length > 0 ||
    [...svg.querySelectorAll('path.line')].some((p) => (p.getAttribute('d') || '').length > 0);
  const emptyCharts = [...document.querySelectorAll('figure[data-chart]')]
    .filter((f) => [...f.querySelectorAll('svg.chart')].every((s) => !drawn(s)))
    .map((f) => f.dataset.chart);
  // Charts keep their text legible (11 px and up) and may scroll inside their box on a phone; the
  // table under each chart holds the same numbers as text. Text itself never scrolls sideways.
  const sideways = [...document.querySelectorAll('.table-wrap, p, li, td, th')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
    .map((e) => (e.querySelector('caption')?.textContent || e.textContent).trim().slice(0, 50));
  const how = document.getElementById('how');
  const jargon = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (how && how.contains(n)) continue;
    if (n.parentElement.closest('svg title, title')) continue;
    const m = /\\bt0\\b|Theil|σ|u-chart|±\\s*3|95% interval|censored/.exec(n.textContent);
    if (m) jargon.push(m[0] + ': ' + n.textContent.trim().slice(0, 60));
  }
  return {
    summary: document.querySelector('[data-summary]')?.textContent ?? '',
    cards,
    recommendations,
    nothingToDo: !!document.querySelector('[data-recommendations="0"]'),
    emptyCharts,
    needs: [...document.querySelectorAll('[data-needs]')].map((e) => e.dataset.needs),
    sideways: [...new Set(sideways)].slice(0, 20),
    pageWidth: document.documentElement.scrollWidth,
    jargon: jargon.slice(0, 20),
  };
})()`;

/**
 * What must hold on any fleet: a summary on top, every card that says act pointing at a move on
 * "This week" that resolves it, and "nothing needs doing" never under a card that says act.
 */
export function firstScreenProblems(seen: FirstScreenSeen): string[] {
  const problems: string[] = [];
  if (!seen.summary.trim()) problems.push('no summary sentence');
  for (const card of seen.cards.filter((c) => c.status === 'act')) {
    const moves = seen.recommendations.filter((r) => r.resolves === card.key);
    if (!moves.length) problems.push(`${card.key} says act with nothing on This week that resolves it`);
    if (!card.todoLink || !moves.some((m) => `#${m.id}` === card.todoLink))
      problems.push(`${card.key} says act without a link to its move`);
  }
  if (seen.nothingToDo && seen.cards.some((c) => c.status === 'act'))
    problems.push('a card says act above "nothing needs doing"');
  return problems;
}
