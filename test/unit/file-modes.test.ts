import { chmodSync, cpSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeExecutable } from '../../src/core/file-mode.js';
import type { ManagedFile } from '../../src/core/render/desired-state.js';
import { planModes } from '../../src/core/update/plan-modes.js';
import type { FilesOutcome } from '../../src/core/update/types.js';
import { applyTransaction } from '../../src/io/transaction/apply.js';
import { TXN_JOURNAL } from '../../src/io/transaction/journal.js';
import { recoverTransaction } from '../../src/io/transaction/recover.js';
import { contentHash, sealStore, setSeal } from '../../src/io/transaction/seal.js';
import { loadSpineCached } from '../../src/spine/load-cached.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { tempDir, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE } from '../helpers/run-cli.js';

// `new` writes a spine repository: any plain path may be written. Seals live outside the repo.
const seals = sealStore(tempDir('spine-state-'), '/any/repo');

/**
 * A crash leaves the journal and its seal; the in-process failure of these tests rolls back and
 * unseals at once, so the crashed copy's journal is sealed again as the crash would have left it.
 */
function sealed(dir: string): string {
  setSeal(seals, 'txn-journal', [contentHash(readFileSync(join(dir, TXN_JOURNAL)))]);
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;

function repo(): string {
  const dir = tempDir('spine-modes-');
  writeTree(dir, {
    'run.sh': '#!/bin/sh\n',
    'doc.md': 'doc\n',
    '.spine/lock.json': '{"v":1}\n',
    '.spine/txn/.gitignore': '*\n',
  });
  chmodSync(join(dir, 'run.sh'), 0o644);
  chmodSync(join(dir, 'doc.md'), 0o644);
  return dir;
}

const WRITES = [
  { path: 'run.sh', content: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
  { path: 'doc.md', content: Buffer.from('doc, newer\n') },
  { path: '.spine/lock.json', content: Buffer.from('{"v":2}\n') },
];

describe('transactions carry modes', () => {
  it('a mode-only write changes the mode; the same write again is a no-op', () => {
    const dir = repo();
    expect(applyTransaction(dir, 'new', WRITES, seals)).toEqual(['run.sh', 'doc.md', '.spine/lock.json']);
    expect(mode(join(dir, 'run.sh'))).toBe(0o755);
    expect(mode(join(dir, 'doc.md'))).toBe(0o644);
    expect(applyTransaction(dir, 'new', WRITES, seals)).toEqual([]);
    // An x bit already there keeps its exact mode (a umask's group bits).
    chmodSync(join(dir, 'run.sh'), 0o775);
    expect(applyTransaction(dir, 'new', WRITES, seals)).toEqual([]);
    expect(mode(join(dir, 'run.sh'))).toBe(0o775);
  });

  it('a crash before the lock is written rolls the mode back with the bytes', () => {
    const dir = repo();
    const crashed = tempDir('spine-modes-crash-');
    expect(() =>
      applyTransaction(dir, 'new', WRITES, seals, {
        beforeWrite: (path) => {
          if (path === '.spine/lock.json') {
            cpSync(dir, crashed, { recursive: true });
            throw new Error('stop');
          }
        },
      }),
    ).toThrow('stop');
    expect(mode(join(dir, 'run.sh'))).toBe(0o644); // in-process failure: rolled back at once
    expect(mode(join(crashed, 'run.sh'))).toBe(0o755); // what the crash left
    expect(recoverTransaction(sealed(crashed), seals)?.action).toBe('rolled-back');
    expect(mode(join(crashed, 'run.sh'))).toBe(0o644);
    expect(readFileSync(join(crashed, 'doc.md'), 'utf8')).toBe('doc\n');
  });

  it('bytes all in place but a mode not yet set is not mistaken for a committed transaction', () => {
    const dir = repo();
    let journal = '';
    applyTransaction(dir, 'new', WRITES, seals, {
      beforeWrite: (path) => {
        if (path === '.spine/lock.json') journal = readFileSync(join(dir, TXN_JOURNAL), 'utf8');
      },
    });
    const crashed = tempDir('spine-modes-crash-');
    cpSync(dir, crashed, { recursive: true });
    chmodSync(join(crashed, 'run.sh'), 0o644);
    writeTree(crashed, { [TXN_JOURNAL]: journal });
    expect(recoverTransaction(sealed(crashed), seals)?.action).toBe('rolled-back');
    expect(readFileSync(join(crashed, '.spine/lock.json'), 'utf8')).toBe('{"v":1}\n');
  });
});

describe('update: the x bit three-way', () => {
  it.each([
    // ours, base, theirs → result
    [false, false, true, true], // the release made it executable
    [true, true, false, false], // the release made it a plain file
    [false, true, true, false], // the team removed it, the release did not touch it
    [true, false, false, true], // the team added it, the release did not touch it
    [true, false, true, true], // both did the same
  ])('ours %s, base %s, theirs %s → %s', (ours, base, theirs, result) => {
    expect(mergeExecutable(ours, base, theirs)).toBe(result);
  });

  const file = (path: string, executable: boolean): ManagedFile => ({
    path,
    content: Buffer.from(path),
    kind: 'skill',
    owner: 'x',
    ...(executable ? { executable: true as const } : {}),
  });
  const outcome = (): FilesOutcome => ({
    rows: [],
    writes: [],
    pending: [],
    sides: [],
    warnings: [],
    moves: [],
  });

  it('adds a write of the same bytes when only the mode changes, none when nothing does', () => {
    const files = outcome();
    planModes(
      {
        lockFiles: {
          a: { hash: 'h', kind: 'skill' },
          b: { hash: 'h', kind: 'skill', mode: '755' },
        },
        theirs: [file('a', true), file('b', true)],
        ours: new Map([
          ['a', Buffer.from('a')],
          ['b', Buffer.from('b')],
        ]),
        oursExecutable: new Set(['b']),
      },
      files,
    );
    expect(files.writes).toEqual([{ path: 'a', content: Buffer.from('a'), mode: 0o755 }]);
  });

  it('a moved script is created with its mode; a deleted one stays deleted', () => {
    const files = outcome();
    files.writes.push({ path: 'new.sh', content: Buffer.from('new.sh') }, { path: 'old.sh' });
    files.moves.push({ from: 'old.sh', to: 'new.sh' });
    planModes(
      {
        lockFiles: {
          'old.sh': { hash: 'h', kind: 'skill', mode: '755' },
          gone: { hash: 'h', kind: 'skill' },
        },
        theirs: [file('new.sh', true), file('gone', true)],
        ours: new Map([
          ['old.sh', Buffer.from('old.sh')],
          ['gone', undefined],
        ]),
        oursExecutable: new Set(['old.sh']),
      },
      files,
    );
    expect(files.writes[0]).toEqual({ path: 'new.sh', content: Buffer.from('new.sh'), mode: 0o755 });
    expect(files.writes).toHaveLength(2);
  });
});

describe('loaded spines carry modes', () => {
  it('the memo of a loaded spine does not hide a mode change', async () => {
    const cache = tempDir('spine-memo-');
    const dir = join(tempDir('spine-src-'), 'spine');
    cpSync(EMBEDDED_SPINE, dir, { recursive: true });
    writeTree(dir, { 'skills/review-change/run.sh': '#!/bin/sh\n' });
    const script = (tree: ReturnType<typeof readSpineDirectory>) =>
      loadSpineCached(tree, cache).then(
        (r) =>
          r
            .spine!.skills.find((s) => s.name === 'review-change')!
            .files.find((f) => f.path.endsWith('run.sh'))!,
      );
    chmodSync(join(dir, 'skills/review-change/run.sh'), 0o644);
    expect((await script(readSpineDirectory(dir, 'spine/'))).executable).toBeUndefined();
    chmodSync(join(dir, 'skills/review-change/run.sh'), 0o755);
    const tree = readSpineDirectory(dir, 'spine/');
    expect(tree.executable.has('skills/review-change/run.sh')).toBe(true);
    expect((await script(tree)).executable).toBe(true);
  });
});
