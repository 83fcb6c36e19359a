import { describe, expect, it } from 'vitest';
import { ExitError, UserError } from '../../src/errors.js';

// bin/spine.js runs `spine doctor` from a CommonJS bundle with its own copy of errors.ts, while a
// module doctor loads lazily from the ES module build throws with the other copy's classes.
describe('the error classes across copies of their module', () => {
  it('an error of one copy is an instance of the other’s class, and of no other class', async () => {
    const path = '../../src/errors.js?another-copy';
    const other = (await import(/* @vite-ignore */ path)) as typeof import('../../src/errors.js');
    expect(other.UserError).not.toBe(UserError);
    expect(new other.UserError('bad input')).toBeInstanceOf(UserError);
    expect(new UserError('bad input')).toBeInstanceOf(other.UserError);
    expect(new other.ExitError(3)).toBeInstanceOf(ExitError);
    expect(new other.ExitError(3)).not.toBeInstanceOf(UserError);
    expect(new other.UserError('x')).not.toBeInstanceOf(ExitError);
    expect(new Error('x')).not.toBeInstanceOf(UserError);
    expect(Object.assign(new Error('x'), { name: 'UserError' })).not.toBeInstanceOf(UserError);
    expect(null).not.toBeInstanceOf(UserError);
  });
});
