import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFleetFacts } from '../helpers/fleet-facts.js';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };

function setup(reportYaml: string) {
  const dir = tempDir('spine-thresholds-');
  writeFleetFacts(join(dir, 'facts'), false);
  const spine = gitdir({ 'spine.yaml': 'name: org-spine\nversion: 1.3.0\n', 'report.yaml': reportYaml });
  return { dir, spine };
}

describe('the spine sets the thresholds of the first screen (report.yaml)', () => {
  it('a looser lag target turns lag on track; the rest keep their defaults', async () => {
    const { dir, spine } = setup('# what on track means for us\nlag:\n  onTrack: 0.7\n');
    const result = await runCli(['report', '--facts', 'facts', '--spine', spine, '--json'], {
      cwd: dir,
      env: NOW,
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.thresholds.lag).toEqual({ onTrack: 0.7, act: 0.5, behind: 2 });
    expect(report.thresholds.drift).toEqual({ onTrack: 0.9, act: 0.7 });
    const lag = report.headline.find((h: { key: string }) => h.key === 'lag');
    expect(lag.status).toBe('on-track');
    expect(lag.target).toBe('70% or more on the latest release (act under 50%)');
  });

  it.each([
    ['lag:\n  onTrack: lots\n', /^spine: .*report\.yaml:2:\d+: .*onTrack.*number/],
    ['periodDays: 3\n', /^spine: .*report\.yaml:1:\d+: .*periodDays.*7/],
    ['reuse:\n  target: 0.5\n', /^spine: .*report\.yaml:2:\d+: .*target/],
    ['lag: [\n', /^spine: .*report\.yaml:\d+:\d+: /],
  ])('a bad report.yaml (%j) stops with file:line, exit 2, nothing written', async (yaml, message) => {
    const { dir, spine } = setup(yaml);
    const before = snapshot(dir);
    const result = await runCli(['report', '--facts', 'facts', '--spine', spine, '--html', 'r.html'], {
      cwd: dir,
      env: NOW,
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
  });
});
