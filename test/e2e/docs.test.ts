import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

// `spine docs` reads the docs that ship in the package, so they can be reached after an install
// (the install from the packed tarball runs `spine docs` too: install-tarball.test.ts).

const TOPICS = readdirSync(join(REPO_ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3).toLowerCase());

describe('spine docs', () => {
  it('lists every topic with its title', async () => {
    const r = await runCli(['docs'], { cwd: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    for (const topic of [...TOPICS, 'readme']) expect(r.stdout).toMatch(new RegExp(`^${topic} +\\S`, 'm'));
    expect(r.stdout).toMatch(/^doctor +spine doctor$/m);
  });

  it('prints a topic as the file holds it, in any case, with or without .md', async () => {
    const text = readFileSync(join(REPO_ROOT, 'docs', 'update.md'), 'utf8').trimEnd();
    for (const asked of ['update', 'UPDATE.md', 'docs/update.md']) {
      const r = await runCli(['docs', asked], { cwd: tempDir() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trimEnd()).toBe(text);
    }
  });

  it('an unknown topic: exit 2, one line with the list of topics', async () => {
    const r = await runCli(['docs', 'nope'], { cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no docs topic "nope"');
    for (const topic of TOPICS) expect(r.stderr).toContain(topic);
  });

  it('--search finds the lines that mention a text, case-insensitively, with topic and line', async () => {
    const r = await runCli(['docs', '--search', 'ALLOWMANAGEDHOOKSONLY'], { cwd: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [, topic, n, text = ''] = /^([\w-]+):(\d+) {2}(.*)$/.exec(line)!;
      const file = topic === 'readme' ? 'README.md' : join('docs', `${topic}.md`);
      const source = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n')[Number(n) - 1]!;
      expect(source.trim()).toBe(text);
      expect(text.toLowerCase()).toContain('allowmanagedhooksonly');
    }
  });

  it('--search within one topic, as JSON', async () => {
    const r = await runCli(['docs', 'export', '--search', 'plugin', '--json'], { cwd: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'search', search: 'plugin' });
    expect(doc.matches.length).toBeGreaterThan(0);
    expect(doc.matches.every((m: { topic: string }) => m.topic === 'export')).toBe(true);
  });

  it('a search that finds nothing says so on stderr and exits 0', async () => {
    const r = await runCli(['docs', '--search', 'zzz-not-in-any-doc'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Nothing in the docs mentions "zzz-not-in-any-doc"');
  });

  it('an empty search or topic is bad input', async () => {
    expect((await runCli(['docs', '--search', ' '], { cwd: tempDir() })).code).toBe(2);
    expect((await runCli(['docs', ''], { cwd: tempDir() })).code).toBe(2);
  });
});

describe('the package points at its home', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));

  it('package.json has repository, homepage and bugs, and ships docs/', () => {
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\/github\.com\/.*\/issues$/);
    expect(pkg.files).toContain('docs');
  });

  it("every link in the README is absolute, so it works on the registry's page", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    const home = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    for (const link of links) {
      expect(link, link).toMatch(/^(https?:\/\/|#)/);
      if (link.startsWith(`${home}/blob/main/`)) {
        const path = link.slice(`${home}/blob/main/`.length).replace(/#.*$/, '');
        expect(() => readFileSync(join(REPO_ROOT, path)), path).not.toThrow();
      }
    }
  });
});
