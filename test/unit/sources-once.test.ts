import { describe, expect, it } from 'vitest';
import { resolveSpineSource } from '../../src/spine/sources/resolve.js';
import { git, tempDir } from '../helpers/gitdir.js';
import { editFile, releasedSpine } from '../helpers/spine-copy.js';

// A process reads each git spine version once: a rollout over fifty repositories fetches and reads
// the spine once, and every repository it previews sees the same commit, even when a tag lands
// in the spine mid-run.

const spineRepo = () => releasedSpine('spine-once-');

describe('resolveSpineSource on a git spine', () => {
  it('reads a version once per process: a release tagged later is not seen mid-run', async () => {
    const spine = spineRepo();
    const request = { spec: spine, cwd: spine, offline: false, cacheDir: tempDir('spine-cache-') };
    const first = await resolveSpineSource(request);
    editFile(spine, 'spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
    git(spine, 'commit', '-q', '-am', 'v1.1.0');
    git(spine, 'tag', 'v1.1.0');
    const again = await resolveSpineSource(request);
    expect(again.tree).toBe(first.tree);
    expect(again.source.ref).toBe('v1.0.0');
    // Another ref is another read.
    const named = await resolveSpineSource({ ...request, ref: 'v1.1.0' });
    expect(named.source.ref).toBe('v1.1.0');
    expect(named.tree).not.toBe(first.tree);
  });

  it('keeps no failure: a ref that appears later is found when asked again', async () => {
    const spine = spineRepo();
    const request = {
      spec: spine,
      cwd: spine,
      offline: false,
      cacheDir: tempDir('spine-cache-'),
      ref: 'v2.0.0',
    };
    await expect(resolveSpineSource(request)).rejects.toThrow(/unknown ref "v2.0.0"/);
    editFile(spine, 'spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 2.0.0'));
    git(spine, 'commit', '-q', '-am', 'v2.0.0');
    git(spine, 'tag', 'v2.0.0');
    expect((await resolveSpineSource(request)).source.ref).toBe('v2.0.0');
  });
});
