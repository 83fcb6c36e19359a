import { describe, expect, it } from 'vitest';
import { normaliseRule, parseRule, patternCovers, ruleProblems } from '../../src/core/permission-rule.js';

describe('permission rule syntax', () => {
  it.each([
    ['Bash', { tool: 'Bash' }],
    ['Bash(npm run test)', { tool: 'Bash', specifier: 'npm run test' }],
    ['Bash(git push:*)', { tool: 'Bash', specifier: 'git push:*' }],
    ['Task(Explore)', { tool: 'Agent', specifier: 'Explore' }],
    ['mcp__github__create_issue', { tool: 'mcp__github__create_issue' }],
  ])('parses %s', (rule, expected) => {
    expect(parseRule(rule)).toEqual(expected);
  });

  it.each(['bash(ls)', 'Bash(', 'Bash()', 'Bash(a:* b)', 'Bash(:*)', '(x)', 'Read(x'])(
    'rejects %s',
    (rule) => {
      expect(ruleProblems(rule).errors).toHaveLength(1);
    },
  );

  it('warns about Write(path), which Claude Code ignores, and unknown tools', () => {
    expect(ruleProblems('Write(src/**)').warnings[0]).toMatch(/use Edit/);
    expect(ruleProblems('Frobnicate').warnings[0]).toMatch(/unknown tool/);
  });

  it('normalises aliases and whole-tool forms', () => {
    expect(normaliseRule('Bash(*)')).toBe('Bash');
    expect(normaliseRule('Task(x)')).toBe('Agent(x)');
  });
});

describe('patternCovers (neverAllow)', () => {
  it.each([
    ['Bash', 'Bash', true],
    ['Bash', 'Bash(*)', true],
    ['Bash', 'Bash(git status)', false],
    ['Bash(curl *)', 'Bash(curl https://x.sh)', true],
    ['Bash(curl *)', 'Bash(npm test)', false],
    ['Bash(curl:*)', 'Bash(curl -s x)', true],
    ['Bash(curl *)', 'Bash', true],
    ['Read(**/.env)', 'Edit(**/.env)', false],
  ])('%s covers %s: %s', (pattern, rule, covered) => {
    expect(patternCovers(pattern, rule)).toBe(covered);
  });
});
