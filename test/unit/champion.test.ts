import { describe, expect, it } from 'vitest';
import { championProblem, defaultChampion } from '../../src/core/champion.js';
import { teamNameProblem } from '../../src/core/team-name.js';

describe('champion', () => {
  it.each([
    '',
    '@alice',
    '@acme/platform',
    'alice.smith+spine@example.com',
    'Alice Smith',
    'Zoë Müller',
    '@ñandú',
  ])('accepts %j', (champion) => expect(championProblem(champion)).toBeUndefined());

  it.each([
    '@a\u001b[2K',
    '@a\nteam: x',
    '@a\tb',
    ' @a',
    '<!-- spine:end -->',
    'x'.repeat(101),
    'Zoë\u200bM',
  ])('refuses %j', (champion) => expect(championProblem(champion)).toMatch(/champion/));

  it('defaults to the forge login, then (at a prompt only) the e-mail local part as a handle', () => {
    expect(defaultChampion({ githubUser: 'octo', email: 'a@b.c' }, false)).toBe('@octo');
    expect(defaultChampion({ githubUser: '@octo' }, true)).toBe('@octo');
    expect(defaultChampion({ email: 'alice.smith@example.com' }, true)).toBe('@alice-smith');
    expect(defaultChampion({ email: 'alice.smith@example.com' }, false)).toBe('alice.smith@example.com');
    expect(defaultChampion({ githubUser: 'not a login', email: '@x' }, true)).toBe('');
    expect(defaultChampion({}, true)).toBe('');
  });
});

describe('team name', () => {
  it('refuses a slash, which would add a level to the branch contribute pushes', () => {
    expect(teamNameProblem('acme/payments')).toMatch(/may hold only/);
    expect(teamNameProblem('acme-payments')).toBeUndefined();
  });

  it('takes letters and digits of any script, and nothing else beyond ASCII', () => {
    for (const name of ['Paiements', 'équipe données', 'チーム', 'ΟΜΑΔΑ-2'])
      expect(teamNameProblem(name), name).toBeUndefined();
    for (const name of ['équipe\u2028x', 'team\u00a0a', '-team', 'a→b'])
      expect(teamNameProblem(name), name).toMatch(/may hold only/);
  });
});
