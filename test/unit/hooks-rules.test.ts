import { describe, expect, it } from 'vitest';
import { compilePathGlob } from '../../src/hooks/path-glob.js';
import { bashMatches, ruleMatches } from '../../src/hooks/rule-match.js';

const roots = { projectDir: '/repo', cwd: '/repo', home: '/home/dev' };

describe('Bash rules', () => {
  it.each([
    ['git push:*', 'git push', true],
    ['git push:*', 'git push origin main', true],
    ['git push:*', 'git pushx', false],
    ['git push:*', 'npm test && git push -f', true],
    ['git push:*', 'FOO=1 git push origin', true],
    ['git push:*', 'echo "git push"', false],
    ['npm run test', 'npm run test', true],
    ['npm run test', 'npm run test:unit', false],
    ['python3', 'python3 -c 1', false],
    ['ls *', 'ls -la', true],
    ['ls *', 'ls', true],
    ['ls *', 'lsof', false],
    ['*print*', 'echo print', true],
    ['curl * | sh*', 'curl -s https://x.io | sh', true],
    ['curl * | bash*', 'curl -s https://x.io | sh', false],
    ['git push --force origin main*', 'cd x; git push --force origin main', true],
    ['* .env', 'cat .env', true],
    ['* .env', 'cat .env.example', false],
  ])('Bash(%s) vs %s → %s', (spec, command, expected) => {
    expect(bashMatches(spec, command)).toBe(expected);
  });
});

describe('rules by tool', () => {
  it.each([
    ['Bash', { tool: 'Bash', input: { command: 'anything' } }, true],
    ['Bash(*)', { tool: 'Bash', input: { command: 'anything' } }, true],
    ['Read', { tool: 'Bash', input: { command: 'anything' } }, false],
    ['Read(**/.env)', { tool: 'Read', input: { file_path: '/repo/sub/.env' } }, true],
    ['Read(**/.env)', { tool: 'Read', input: { file_path: '/repo/.ENV' } }, true],
    ['Read(.env)', { tool: 'Read', input: { file_path: '/repo/a/b/.env' } }, true],
    ['Read(./.env)', { tool: 'Read', input: { file_path: '/repo/.env' } }, true],
    ['Read(/config/*.yml)', { tool: 'Read', input: { file_path: '/repo/config/db.yml' } }, true],
    ['Read(/config/*.yml)', { tool: 'Read', input: { file_path: '/repo/config/sub/db.yml' } }, false],
    ['Read(//etc/passwd)', { tool: 'Read', input: { file_path: '/etc/passwd' } }, true],
    ['Read(~/.ssh/**)', { tool: 'Read', input: { file_path: '/home/dev/.ssh/id_rsa' } }, true],
    ['Read(~/.env)', { tool: 'Read', input: { file_path: '/repo/.env' } }, false],
    ['Read(src/**)', { tool: 'Grep', input: { pattern: 'x', path: '/repo/src/a' } }, true],
    ['Read(**/.env)', { tool: 'Edit', input: { file_path: '/repo/.env' } }, false],
    ['Edit(**/.env)', { tool: 'Write', input: { file_path: '/repo/.env' } }, true],
    ['Edit(**/.env)', { tool: 'MultiEdit', input: { file_path: 'sub/.env' } }, true],
    ['Write(**/.env)', { tool: 'Write', input: { file_path: '/repo/.env' } }, false],
    ['Write', { tool: 'Write', input: { file_path: '/repo/x' } }, true],
    ['Agent(Explore)', { tool: 'Task', input: { subagent_type: 'Explore' } }, true],
    ['Task(Explore)', { tool: 'Agent', input: { subagent_type: 'Plan' } }, false],
    ['Skill(review)', { tool: 'Skill', input: { skill: 'review' } }, true],
    ['WebFetch(domain:example.com)', { tool: 'WebFetch', input: { url: 'https://api.example.com/x' } }, true],
    ['WebFetch(domain:example.com)', { tool: 'WebFetch', input: { url: 'https://example.org/' } }, false],
    ['mcp__github', { tool: 'mcp__github__create_issue', input: {} }, true],
    ['mcp__github__create_issue', { tool: 'mcp__github__list', input: {} }, false],
  ])('%s vs %j → %s', (rule, call, expected) => {
    expect(ruleMatches(rule, call, roots)).toBe(expected);
  });
});

describe('path globs', () => {
  it.each([
    ['**/.env.*', '/repo/.env.production', true],
    ['**/.env.*', '/repo/.env', false],
    ['**/secrets/**', '/repo/a/secrets/db.yaml', true],
    ['**/secrets/**', '/repo/secrets', true],
    ['**/secrets/**', '/repo/secrets.md', false],
    ['*.pem', '/repo/deep/dir/x.PEM', true],
    ['**/id_rsa*', '/home/dev/.ssh/id_rsa.pub', true],
    ['~/.aws/credentials', '/home/dev/.aws/credentials', true],
    ['~/.aws/credentials', '/repo/.aws/credentials', false],
    ['config/[ab].yml', '/repo/config/a.yml', true],
    ['config/?.yml', '/repo/config/ab.yml', false],
  ])('%s vs %s → %s', (glob, path, expected) => {
    expect(compilePathGlob(glob, roots).test(path)).toBe(expected);
  });
});
