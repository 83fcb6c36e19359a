import { describe, expect, it } from 'vitest';
import { contributionBranch, teamSlug } from '../../src/commands/contribute/proposal.js';
import { detectForge, forgeFromUrl, newReviewUrl } from '../../src/io/forge/detect.js';

describe('forge detection', () => {
  it.each([
    ['https://github.com/acme/spine.git', { forge: 'github', owner: 'acme', name: 'spine' }],
    ['git@github.com:acme/spine.git', { forge: 'github', owner: 'acme', name: 'spine' }],
    ['ssh://git@github.com/acme/spine', { forge: 'github', owner: 'acme', name: 'spine' }],
    ['https://gitlab.com/acme/platform/spine.git', { forge: 'gitlab', project: 'acme/platform/spine' }],
    ['git@gitlab.internal.example:acme/spine.git', { forge: 'gitlab', project: 'acme/spine' }],
  ])('%s', (url, expected) => {
    expect(forgeFromUrl(url)).toMatchObject(expected);
  });

  it('says nothing for a URL that does not name a forge', () => {
    expect(forgeFromUrl('file:///srv/spine.git')).toBeUndefined();
    expect(forgeFromUrl('/srv/spine.git')).toBeUndefined();
    expect(forgeFromUrl('https://git.example.com/acme/spine.git')).toBeUndefined();
  });

  it('falls back to spine.yaml upstream, and the URL wins over it', () => {
    expect(detectForge('/srv/spine.git', { forge: 'github', repo: 'acme/spine' }, {})).toEqual({
      forge: 'github',
      host: 'github.com',
      owner: 'acme',
      name: 'spine',
    });
    expect(detectForge('/srv/spine.git', { forge: 'gitlab', project: 'a/b/c' }, {})).toMatchObject({
      project: 'a/b/c',
    });
    expect(
      detectForge('https://github.com/org/real.git', { forge: 'github', repo: 'acme/spine' }, {}),
    ).toMatchObject({ owner: 'org', name: 'real' });
    expect(
      detectForge('https://ghe.example.com/org/spine.git', undefined, {
        GITHUB_SERVER_URL: 'https://ghe.example.com',
      }),
    ).toMatchObject({ forge: 'github', host: 'ghe.example.com' });
  });

  it('builds the by-hand review links', () => {
    const gh = forgeFromUrl('https://github.com/acme/spine')!;
    expect(newReviewUrl(gh, 'main', 'payments-bot', 'spine/contrib/p/x')).toBe(
      'https://github.com/acme/spine/compare/main...payments-bot:spine/contrib/p/x?expand=1',
    );
    const gl = forgeFromUrl('https://gitlab.com/acme/spine')!;
    expect(newReviewUrl(gl, 'main', undefined, 'b')).toBe(
      'https://gitlab.com/acme/spine/-/merge_requests/new?merge_request%5Bsource_branch%5D=b&merge_request%5Btarget_branch%5D=main',
    );
  });

  it('makes a safe branch name from any team name', () => {
    expect(teamSlug('Payments Team')).toBe('payments-team');
    expect(teamSlug('../..')).toBe('team');
    expect(contributionBranch('Data/ML', 'x')).toBe('spine/contrib/data-ml/x');
  });
});
