import { describe, expect, it } from 'vitest';
import { staticSecretGlobs } from '../../src/core/render/secret-globs.js';

describe('staticSecretGlobs', () => {
  it('drops only the globs that would also deny an allowed path', () => {
    const globs = ['**/.env', '**/.env.*', '**/.env.production', '**/*.pem'];
    expect(staticSecretGlobs(globs, ['**/.env.example'])).toEqual([
      '**/.env',
      '**/.env.production',
      '**/*.pem',
    ]);
  });

  it('keeps every glob when nothing is allowed', () => {
    expect(staticSecretGlobs(['**/.env.*'], [])).toEqual(['**/.env.*']);
  });
});
