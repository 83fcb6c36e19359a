import { describe, expect, it } from 'vitest';
import { followLink, parseLsTree } from '../../src/spine/sources/commit-tree.js';
import { findNamedRef, nearestTags, parseRefs, releasesOf } from '../../src/spine/sources/refs.js';
import { cacheKey, classifySpec } from '../../src/spine/sources/spec.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('refs', () => {
  const refs = parseRefs(
    [
      `${A}  refs/heads/main`,
      `${B} ${C} refs/tags/v1.10.0`,
      `${A}  refs/tags/v1.9.0`,
      `${A}  refs/tags/v2.0.0-rc.1`,
      `${A}  refs/tags/release-3`,
      `${A}  refs/tags/v1.2`,
    ].join('\n'),
  );

  it('peels annotated tags to their commit', () => {
    expect(findNamedRef(refs, 'v1.10.0')).toEqual({ name: 'refs/tags/v1.10.0', commit: C });
    expect(findNamedRef(refs, 'main')).toEqual({ name: 'refs/heads/main', commit: A });
    expect(findNamedRef(refs, 'nope')).toBeUndefined();
  });

  it('orders releases by semver and ignores pre-releases and other tags', () => {
    expect(releasesOf(refs).map((r) => r.tag)).toEqual(['v1.10.0', 'v1.9.0']);
  });

  it('suggests the nearest tags for a mistyped ref', () => {
    expect(nearestTags('v1.10', ['v1.10.0', 'v1.9.0', 'v0.1.0', 'main'], 2)).toEqual(['v1.10.0', 'v1.9.0']);
  });
});

describe('source specs', () => {
  it.each([
    ['github:acme/spine', 'https://github.com/acme/spine.git'],
    ['github:acme/spine.git', 'https://github.com/acme/spine.git'],
    ['https://git.example.com/acme/spine.git/', 'https://git.example.com/acme/spine.git'],
    ['ssh://git@example.com/acme/spine.git', 'ssh://git@example.com/acme/spine.git'],
    ['git@github.com:acme/spine.git', 'git@github.com:acme/spine.git'],
    ['file:///srv/spine', 'file:///srv/spine'],
  ])('%s is a remote git source', (spec, url) => {
    expect(classifySpec(spec, '/')).toEqual({ kind: 'remote-git', url });
  });

  it('embedded, and an unknown path', () => {
    expect(classifySpec(undefined, '/')).toEqual({ kind: 'embedded' });
    expect(classifySpec('./does-not-exist-anywhere', '/')).toBeUndefined();
  });

  it('keys the cache by URL, readable and unique', () => {
    expect(cacheKey('https://github.com/acme/spine.git')).toMatch(/^github\.com-acme-spine-[0-9a-f]{12}$/);
    expect(cacheKey('https://github.com/acme/spine.git')).not.toBe(
      cacheKey('https://gitlab.com/acme/spine.git'),
    );
    expect(cacheKey('file:///../../etc')).not.toContain('/');
  });
});

describe('commit trees', () => {
  it('parses ls-tree -z output, paths with spaces included', () => {
    const text = [
      `100644 blob ${A}\tskills/a b/SKILL.md`,
      `120000 blob ${B}\tlink`,
      `160000 commit ${C}\tsub`,
      '',
    ].join('\u0000');
    expect(parseLsTree(text)).toEqual([
      { mode: '100644', type: 'blob', oid: A, path: 'skills/a b/SKILL.md' },
      { mode: '120000', type: 'blob', oid: B, path: 'link' },
      { mode: '160000', type: 'commit', oid: C, path: 'sub' },
    ]);
  });

  it('follows symlinks inside the spine and refuses those that leave it', () => {
    const links = new Map([
      ['skills/x/a', '../y/b'],
      ['skills/y/b', 'real.md'],
    ]);
    expect(followLink('skills/x/a', '../y/b', links)).toBe('skills/y/real.md');
    expect(followLink('skills/x/out', '../../../etc/passwd', links)).toBeUndefined();
    expect(followLink('skills/x/abs', '/etc/passwd', links)).toBeUndefined();
    const loop = new Map([
      ['a', 'b'],
      ['b', 'a'],
    ]);
    expect(followLink('a', 'b', loop)).toBeUndefined();
  });
});
