import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { globPrefilter, lazyGlobMatcher, segmentMatch } from '../../src/core/glob-prefilter.js';

// Segments built from a few names, dots and wildcards, so globs and paths often meet.
const name = fc.constantFrom('a', 'b', '.env', 'secrets', 'x.pem', 'id_rsa', '.ssh', 'key');
const globSegment = fc.oneof(
  name,
  fc.constantFrom('*', '**', '?', '*.pem', '.env.*', 'id_rsa*', '.e?v', 'a*b', '{a,b}', '[ab]', '!(a)'),
);
const glob = fc.array(globSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const path = fc
  .array(fc.oneof(name, fc.constantFrom('ab', 'x', '.env.local', 'axb')), { minLength: 1, maxLength: 5 })
  .map((s) => s.join('/'));

describe('lazyGlobMatcher', () => {
  it('answers as picomatch does, for every option the CLI uses', () => {
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 3 }), path, fc.boolean(), (globs, p, dot) => {
        expect(lazyGlobMatcher(globs, { dot })(p)).toBe(picomatch(globs, { dot })(p));
      }),
      { numRuns: 3000 },
    );
  });

  it('never compiles a glob no path could match', () => {
    const matches = lazyGlobMatcher(['**/*.pem', '**/secrets/**', '**/.env.*'], { dot: true });
    expect(['src/index.ts', 'README.md', 'docs/a.md'].some(matches)).toBe(false);
    expect(matches('deploy/secrets/db.yaml')).toBe(true);
    expect(matches('certs/server.pem')).toBe(true);
  });
});

describe('globPrefilter', () => {
  it('rejects paths by name and by literal directory', () => {
    expect(globPrefilter('**/*.pem')!('a/b.txt')).toBe(false);
    expect(globPrefilter('**/secrets/**')!('a/b.txt')).toBe(false);
    expect(globPrefilter('**/secrets/**')!('a/secrets/b.txt')).toBe(true);
  });

  it('leaves globs it does not model to picomatch', () => {
    for (const g of ['!**/*.pem', '**/*.{pem,key}', '**/[ab]', './a', 'a//b', '\\*']) {
      expect(globPrefilter(g)).toBeUndefined();
    }
  });
});

describe('segmentMatch', () => {
  it('answers as the one-segment regular expression of the glob does', () => {
    const text = (chars: string[]) =>
      fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text(['a', 'b', '.', '*', '?']), text(['a', 'b', '.']), (pattern, name) => {
        const re = new RegExp(
          `^${pattern.replace(/[.*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : '\\.'))}$`,
        );
        expect(segmentMatch(pattern, name)).toBe(re.test(name));
      }),
      { numRuns: 5000 },
    );
  });
});
