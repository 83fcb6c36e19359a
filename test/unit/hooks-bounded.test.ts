import { describe, expect, it } from 'vitest';
import { compilePathGlob } from '../../src/hooks/path-glob.js';
import { bashMatches } from '../../src/hooks/rule-match.js';
import { parseShell } from '../../src/hooks/shell-words.js';
import { wildcardMatch } from '../../src/hooks/wildcard.js';

// Inputs an agent controls that made the guard backtrack or go quadratic. Each case finishes at
// once with the linear matchers; with the old regular expressions the first took minutes.
const LONG_NAME = 'a'.repeat(200);
const roots = { projectDir: '/repo', home: '/home/u' };

describe('the guard is linear in what the agent sends', () => {
  it('a shell wildcard with many stars against a long name', () => {
    expect(wildcardMatch('a*a*a*a*a*a*b', LONG_NAME)).toBe(false);
    expect(wildcardMatch('a*a*a*a*a*a*a', LONG_NAME)).toBe(true);
    expect(wildcardMatch('.e*', '.env')).toBe(true);
    expect(wildcardMatch('?env', '.ENV')).toBe(true);
    expect(wildcardMatch('x?y', 'x?y', { question: false })).toBe(true);
    expect(wildcardMatch('x?y', 'xay', { question: false })).toBe(false);
  });

  it('a path glob with many stars against a long path', () => {
    const glob = compilePathGlob('**/a*a*a*a*a*a*a*a*b', roots);
    expect(glob.test(`/repo/${LONG_NAME}/${LONG_NAME}`)).toBe(false);
    expect(glob.test(`/repo/${'a/'.repeat(2000)}x`)).toBe(false);
    expect(glob.test('/repo/x/aaaaaaaab')).toBe(true);
    const deep = compilePathGlob('**/**/**/**/**/*.pem', roots);
    expect(deep.test(`/${'a/'.repeat(2000)}k.PEM`)).toBe(true);
    expect(deep.test(`/${'a/'.repeat(2000)}k.pen`)).toBe(false);
  });

  it('a Bash rule with several stars against a 200 KB command', () => {
    const command = `git ${'x '.repeat(100_000)}`;
    expect(bashMatches('git * push * --force *', command)).toBe(false);
    expect(bashMatches('git push:*', 'git push origin main')).toBe(true);
    expect(bashMatches('git push:*', 'git pushy')).toBe(false);
  });

  it('a 30,000-word command is split in one pass', () => {
    const command = Array.from({ length: 30_000 }, (_, i) => `w${i}`).join(' ');
    const parsed = parseShell(`cat ${command}`);
    expect(parsed.words).toHaveLength(30_001);
  });
});
