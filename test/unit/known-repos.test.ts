import { describe, expect, it } from 'vitest';
import { addKnownRepo, createKnownRepos, isKnownRepo } from '../../src/core/report/known-repos.js';

describe('the repositories a report already has', () => {
  it('are known by their full forge path, whatever the URL form and case', () => {
    const known = createKnownRepos();
    addKnownRepo(known, { name: 'api', remote: 'git@gitlab.example:Platform/team-a/api.git' });
    addKnownRepo(known, { name: 'web', remote: 'https://github.com/acme/web' });
    expect(isKnownRepo(known, 'platform/team-a/api')).toBe(true);
    expect(isKnownRepo(known, 'acme/WEB')).toBe(true);
    // Same name, another subgroup or owner: another repository.
    expect(isKnownRepo(known, 'platform/team-b/api')).toBe(false);
    expect(isKnownRepo(known, 'other/web')).toBe(false);
  });

  it('are known by name only when their origin is unknown', () => {
    const known = createKnownRepos();
    addKnownRepo(known, { name: 'Payments' });
    addKnownRepo(known, { name: 'local', remote: 'file:///srv/git/local.git' });
    expect(isKnownRepo(known, 'acme/payments')).toBe(true);
    expect(isKnownRepo(known, 'group/sub/local')).toBe(true);
    expect(isKnownRepo(known, 'acme/search')).toBe(false);
  });
});
