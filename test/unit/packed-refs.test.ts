import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasLooseRefs, readPackedRefs } from '../../src/spine/sources/packed-refs.js';
import { parseRefs } from '../../src/spine/sources/refs.js';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';

// A cached clone's refs read from packed-refs must be exactly what `git for-each-ref` lists, or
// nothing at all (git then answers).

function forEachRef(gitDir: string) {
  return parseRefs(
    git(
      gitDir,
      'for-each-ref',
      '--format=%(objectname) %(*objectname) %(refname)',
      'refs/tags',
      'refs/heads',
    ),
  );
}

/** A spine-like repository: branches, a lightweight and an annotated tag, a ref of another kind. */
function source(nested = false): string {
  const repo = gitdir({ 'spine.yaml': 'version: 1.0.0\n' });
  git(repo, 'tag', 'v1.0.0');
  git(repo, 'checkout', '-qb', 'feature/x');
  writeFileSync(join(repo, 'spine.yaml'), 'version: 1.1.0\n');
  git(repo, 'commit', '-qam', 'next');
  git(repo, 'tag', '-a', '-m', 'annotated', 'v1.1.0');
  if (nested) git(repo, 'tag', '-a', '-m', 'of a tag', 'nested', 'v1.1.0');
  git(repo, 'update-ref', 'refs/pull/1/head', 'HEAD');
  return repo;
}

function mirror(of: string): string {
  const dir = join(tempDir('spine-packed-'), 'clone.git');
  execFileSync('git', ['clone', '-q', '--mirror', of, dir]);
  return dir;
}

describe('readPackedRefs', () => {
  it("lists a fresh clone's branches and tags as for-each-ref does, tags peeled", () => {
    const clone = mirror(source());
    const refs = readPackedRefs(clone);
    expect(refs).toEqual(forEachRef(clone));
    expect(refs?.map((r) => r.name)).toEqual([
      'refs/heads/feature/x',
      'refs/heads/main',
      'refs/tags/v1.0.0',
      'refs/tags/v1.1.0',
    ]);
    expect(refs?.find((r) => r.name === 'refs/tags/v1.1.0')?.commit).toBe(
      git(clone, 'rev-parse', 'v1.1.0^{commit}'),
    );
  });

  it('peels a tag of a tag to its commit (for-each-ref peels one level: to the inner tag)', () => {
    const clone = mirror(source(true));
    const commit = git(clone, 'rev-parse', 'nested^{commit}');
    expect(readPackedRefs(clone)?.find((r) => r.name === 'refs/tags/nested')?.commit).toBe(commit);
  });

  it('leaves a loose ref to git, and reads the refs again once they are packed', () => {
    const repo = source();
    const clone = mirror(repo);
    git(repo, 'tag', '-a', '-m', 'new', 'v2.0.0');
    git(clone, 'fetch', '-q', '--tags', 'origin');
    expect(hasLooseRefs(clone)).toBe(true);
    expect(readPackedRefs(clone)).toBeUndefined();
    git(clone, 'pack-refs', '--all', '--prune');
    expect(hasLooseRefs(clone)).toBe(false);
    expect(readPackedRefs(clone)).toEqual(forEachRef(clone));
    expect(readPackedRefs(clone)?.some((r) => r.name === 'refs/tags/v2.0.0')).toBe(true);
  });

  it('leaves to git a packed-refs without every peeled tag, one it cannot read, or none', () => {
    const clone = mirror(source());
    const text = readFileSync(join(clone, 'packed-refs'), 'utf8');
    writeFileSync(join(clone, 'packed-refs'), text.replace(' fully-peeled', ''));
    expect(readPackedRefs(clone)).toBeUndefined();
    writeFileSync(join(clone, 'packed-refs'), `${text}not a ref line\n`);
    expect(readPackedRefs(clone)).toBeUndefined();
    writeFileSync(join(clone, 'packed-refs'), text.replace(/\^[0-9a-f]+/, '^zz'));
    expect(readPackedRefs(clone)).toBeUndefined();
    expect(readPackedRefs(tempDir('spine-not-a-repo-'))).toBeUndefined();
  });

  it('leaves the reftable format to git', () => {
    const clone = mirror(source());
    // What git (2.45 on) makes for --ref-format=reftable: its refs live in reftable/.
    mkdirSync(join(clone, 'reftable'));
    expect(readPackedRefs(clone)).toBeUndefined();
  });
});
