import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/hash.js';
import { changelogBetween } from '../../src/core/update/changelog.js';
import { countConflictRegions } from '../../src/core/update/conflict-markers.js';
import { sidePath } from '../../src/core/update/plan-files.js';
import { renameTarget } from '../../src/core/update/renames.js';
import { decideFile } from '../../src/core/update/three-way-file.js';
import { commonLinesBase } from '../../src/core/update/two-way-base.js';
import { mergeFile } from '../../src/io/merge-file.js';

const b = (s: string) => Buffer.from(s);
const versions = { base: 'v1', theirs: 'v2' };
const merge = async (
  o: Buffer,
  base: Buffer,
  t: Buffer,
  labels: { ours: string; base: string; theirs: string },
) => (await mergeFile(o, base, t, labels)).content;

describe('file decision table', () => {
  const base = b('a\nb\nc\n');
  const lockHash = contentHash(base);
  const decide = (ours: Buffer | undefined, theirs: Buffer, baseContent: Buffer | undefined = base) =>
    decideFile({ lockHash, ours, base: baseContent, theirs, versions, merge });

  it('ours = base → theirs, in ours line endings', async () => {
    const d = await decide(b('a\r\nb\r\nc\r\n'), b('a\nb\nC\n'));
    expect(d).toMatchObject({ type: 'write', status: 'updated' });
    expect((d as { content: Buffer }).content.toString()).toBe('a\r\nb\r\nC\r\n');
  });

  it('missing here: kept deleted unless upstream changed it', async () => {
    expect((await decide(undefined, base)).type).toBe('kept-deleted');
    expect((await decide(undefined, b('x\n'))).type).toBe('conflict-deleted');
  });

  it('both changed: merged by git merge-file, conflicts counted from markers', async () => {
    const clean = await decide(b('A\nb\nc\n'), b('a\nb\nC\n'));
    expect(clean).toMatchObject({ type: 'write', status: 'merged', twoWay: false });
    const conflict = await decide(b('a\nX\nc\n'), b('a\nY\nc\n'));
    expect(conflict).toMatchObject({ type: 'conflict-text', regions: 1 });
  });

  it('binary sides are never text-merged', async () => {
    expect((await decide(b('a\0ours'), b('a\0theirs'))).type).toBe('conflict-binary');
  });

  it('an untrusted base (hash differs from the lock) merges two-way', async () => {
    const d = await decide(b('a\nX\nc\nd\n'), b('a\nY\nc\nd\n'), b('something else\n'));
    expect(d).toMatchObject({ type: 'conflict-text', regions: 1, twoWay: true });
  });
});

describe('helpers', () => {
  it('counts regions by scanning markers, CRLF included, ignoring incomplete ones', () => {
    const region = '<<<<<<< ours\nx\n||||||| base\ny\n=======\nz\n>>>>>>> theirs\n';
    expect(countConflictRegions(`a\n${region}b\n${region}`)).toBe(2);
    expect(countConflictRegions(region.replace(/\n/g, '\r\n'))).toBe(1);
    expect(countConflictRegions('<<<<<<< ours\nx\n=======\n')).toBe(0);
  });

  it('takes the changelog sections after the base up to the target, newest first', () => {
    const log = '# Changelog\n\n## 1.2.0\n\ntwo\n\n## [1.1.0] - 2025-01-01\n\none\n\n## 1.0.0\n\nzero\n';
    const sections = changelogBetween(log, '1.0.0', '1.2.0');
    expect(sections.map((s) => s.version)).toEqual(['1.2.0', '1.1.0']);
    expect(sections[0]?.text).toBe('## 1.2.0\n\ntwo');
  });

  it('builds a two-way base from the lines both sides share', () => {
    expect(commonLinesBase('a\nb\nc\n', 'a\nB\nc\n')).toBe('a\nc\n');
  });

  it('names side files with the extension kept, and maps renames', () => {
    expect(sidePath('.claude/skills/x/logo.png')).toBe('.claude/skills/x/logo.spine-theirs.png');
    expect(sidePath('.claude/skills/x/Makefile')).toBe('.claude/skills/x/Makefile.spine-theirs');
    expect(renameTarget('.claude/skills/a/x.md', [{ from: 'skills/a/', to: 'skills/b/' }])).toBe(
      '.claude/skills/b/x.md',
    );
    expect(renameTarget('.claude/h.sh', [{ from: '.claude/h.sh', to: '.claude/g.sh' }])).toBe('.claude/g.sh');
  });
});
