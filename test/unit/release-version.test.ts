import { describe, expect, it } from 'vitest';
import { releaseVersionProblem, tagVersion } from '../../src/spine/release-version.js';

const manifest = (version: string) => `apiVersion: spine/v1\nname: acme\n\nversion: ${version}\n`;

describe('a release tag and the version its spine.yaml holds', () => {
  it('names a release tag only for vX.Y.Z', () => {
    expect(['v1.2.3', 'v1.2.3-rc.1', '1.2.3', 'main', 'v1.2'].map(tagVersion)).toEqual([
      '1.2.3',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('a mismatch is an error at the version field, naming both numbers and the fix', () => {
    expect(releaseVersionProblem('v2.0.0', 'spine.yaml@v2.0.0', manifest('1.5.0'))).toEqual({
      code: 'release-version',
      severity: 'error',
      message:
        'release tag v2.0.0 holds spine.yaml version 1.5.0: retag that commit as v1.5.0, or set version: 2.0.0 and tag the commit that has it',
      file: 'spine.yaml@v2.0.0',
      line: 4,
      column: 10,
    });
    // A pre-release in the file under a release tag disagrees too.
    expect(releaseVersionProblem('v2.0.0', 'f', manifest('2.0.0-rc.1'))?.code).toBe('release-version');
  });

  it('says nothing when they agree, when the ref is not a release, or when there is no version to read', () => {
    expect(releaseVersionProblem('v1.5.0', 'f', manifest('1.5.0'))).toBeUndefined();
    expect(releaseVersionProblem('main', 'f', manifest('1.5.0'))).toBeUndefined();
    expect(releaseVersionProblem('v2.0.0-rc.1', 'f', manifest('1.5.0'))).toBeUndefined();
    expect(releaseVersionProblem('v1.0.0', 'f', 'name: [unclosed\n')).toBeUndefined();
    expect(releaseVersionProblem('v1.0.0', 'f', 'version: 1\n')).toBeUndefined();
  });
});
