import { relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relativePath } from '../../src/io/store-trust.js';

/** Paths made of the components that matter: plain names, `.`, `..`, empty ones, a trailing `/`. */
const component = fc.constantFrom('a', 'b', 'ab', '.', '..', '', '.a', '..a', 'a.');
const path = fc
  .tuple(fc.boolean(), fc.array(component, { maxLength: 5 }))
  .map(([absolute, parts]) => `${absolute ? '/' : ''}${parts.join('/')}`);

describe('relativePath', () => {
  it('answers as path.relative does, for any two paths', () => {
    fc.assert(
      fc.property(path, path, (from, to) => {
        expect(relativePath(from, to)).toBe(relative(from, to));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers plain paths at or below the first without path.relative', () => {
    expect(relativePath('/home/me/.cache/spine', '/home/me/.cache/spine/code-cache')).toBe('code-cache');
    expect(relativePath('/repo', '/repo')).toBe('');
    expect(relativePath('/', '/repo/.spine')).toBe('repo/.spine');
    expect(relativePath('/repo', '/repository')).toBe('../repository');
    expect(relativePath('/repo/', '/repo/a')).toBe('a');
    expect(relativePath('/repo/../x', '/x/a')).toBe('a');
  });
});
