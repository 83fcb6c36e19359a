import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requiredMarks } from '../../src/hooks/regex-marks.js';

describe('the fixed text of a redaction pattern', () => {
  it('is read off what stands plainly at the top level', () => {
    expect(requiredMarks('\\b(AKIA|ASIA)[0-9A-Z]{16}\\b')).toEqual(['AKIA', 'ASIA']);
    expect(requiredMarks('\\bglpat-[A-Za-z0-9_-]{20,}\\b')).toEqual(['glpat-']);
    expect(requiredMarks('-----BEGIN [A-Z ]*PRIVATE KEY-----')).toEqual(['PRIVATE KEY-----']);
    expect(requiredMarks('\\b[rs]k_(live|test)_[0-9A-Za-z]{16,}\\b')).toEqual(['live', 'test']);
    expect(requiredMarks('\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b')).toEqual(['xox']);
    expect(requiredMarks('abc?d')).toEqual(['ab']);
    expect(requiredMarks('api\\.key')).toEqual(['api.key']);
  });

  it('is unknown where the pattern does not show it', () => {
    for (const pattern of [
      'xyz{|abc}',
      'a|bcd',
      '[a-z]+',
      '(ab)?cd?',
      '\\u0041BC?',
      '(?<=x)y',
      '\\d{8}',
      '(a|b)c',
    ])
      expect(requiredMarks(pattern), pattern).toBeUndefined();
    expect(requiredMarks('\\u0041xyz')).toEqual(['xyz']);
  });

  it('is in every match (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'ab',
      'ba',
      '(a|b)',
      '(?:ab|ba)',
      '[ab]',
      'a?',
      'b*',
      'a+',
      'b{0,2}',
      '.',
      '\\.',
      '|',
      '(a)?',
      'x',
      '{',
      '}',
      '{1}',
      'b{1,}',
      '-',
      '\\bab',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { minLength: 1, maxLength: 6 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'x', '.', '-', ' '), maxLength: 12 }),
        (pieces, text) => {
          const pattern = pieces.join('');
          let re: RegExp;
          try {
            re = new RegExp(pattern, 'g');
          } catch {
            return;
          }
          const marks = requiredMarks(pattern);
          if (!marks) return;
          for (const match of text.matchAll(re)) {
            if (match[0] === '') continue;
            expect(
              marks.some((m) => match[0].includes(m)),
              `${pattern} on ${JSON.stringify(text)}`,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 20000 },
    );
  });
});
