import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';

// The release page of `spine rollout status --html`, as a reader sees it in real Chromium.

export const CHROMIUM = '/usr/bin/chromium';
// Evaluated in the page, not in Node.
declare const document: {
  querySelector(s: string): { textContent: string } | null;
  querySelectorAll(s: string): { length: number };
  documentElement: { scrollWidth: number; clientWidth: number };
};

/** Opens the release page in real Chromium at desktop and phone widths and checks what a reader sees. */
export async function checkReleasePage(file: string, burndownDays: number): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    for (const width of [1400, 420]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`file://${file}`);
      const seen = await page.evaluate(() => ({
        title: document.querySelector('h1')?.textContent,
        headline: document.querySelector('[data-headline]')?.textContent,
        bars: document.querySelectorAll('figure[data-chart="burndown"] svg rect').length,
        rows: document.querySelectorAll('table tbody tr').length,
        sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      }));
      expect(seen.title).toBe('Release v1.1.0');
      expect(seen.headline).toMatch(/^3 of \d+ repositories done/);
      if (burndownDays > 1) expect(seen.bars).toBeGreaterThan(0);
      expect(seen.rows).toBeGreaterThan(8);
      expect(seen.sideways).toBe(false);
      expect(errors).toEqual([]);
      // SPINE_SCREENSHOTS=<dir> keeps the screenshots for a person to look at.
      const shots = process.env.SPINE_SCREENSHOTS;
      if (shots) await page.screenshot({ path: join(shots, `release-${width}.png`), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
