import { chmodSync, cpSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { applyTransaction } from '../../src/io/transaction/apply.js';
import { resolveInside, writeTarget } from '../../src/io/transaction/contain.js';
import { TXN_JOURNAL } from '../../src/io/transaction/journal.js';
import { recoverTransaction } from '../../src/io/transaction/recover.js';
import { contentHash, sealStore, setSeal } from '../../src/io/transaction/seal.js';
import { snapshot, tempDir, writeTree } from '../helpers/gitdir.js';

/** Seals kept outside every test repo, as a user's state directory would keep them. */
const seals = sealStore(tempDir('spine-state-'), '/any/repo');

/**
 * A crash leaves the journal and its seal; the in-process failure of these tests rolls back and
 * unseals at once, so the crashed copy's journal is sealed again as the crash would have left it.
 */
function sealed(dir: string): string {
  setSeal(seals, 'txn-journal', [contentHash(readFileSync(join(dir, TXN_JOURNAL)))]);
  return dir;
}

function repo(): string {
  const dir = tempDir('spine-txn-');
  writeTree(dir, {
    '.claude/hooks/keep.sh': 'kept\n',
    '.claude/settings.json': '{}\n',
    '.spine/lock.json': '{"v":1}\n',
    '.spine/txn/.gitignore': '*\n',
  });
  chmodSync(join(dir, '.claude/hooks/keep.sh'), 0o755);
  return dir;
}

const WRITES = [
  { path: '.spine/lock.json', content: Buffer.from('{"v":2}\n') },
  { path: '.claude/settings.json', content: Buffer.from('{"a":1}\n') },
  { path: '.claude/skills/x/SKILL.md', content: Buffer.from('new skill\n') },
  { path: '.claude/hooks/keep.sh', content: Buffer.from('changed\n') },
];

/** The repo as a crash at write `k` leaves it: a copy taken just before that write. */
function crashAt(k: number): { crashed: string; before: Record<string, string> } {
  const dir = repo();
  const before = snapshot(dir);
  const crashed = tempDir('spine-txn-crash-');
  expect(() =>
    applyTransaction(dir, 'test', WRITES, seals, {
      beforeWrite: (_p, index) => {
        if (index === k) {
          cpSync(dir, crashed, { recursive: true });
          throw new Error('stop');
        }
      },
    }),
  ).toThrow('stop');
  expect(snapshot(dir)).toEqual(before); // the in-process failure rolls back at once
  return { crashed, before };
}

describe('transactions', () => {
  it('writes the lock last and leaves no journal', () => {
    const dir = repo();
    const order: string[] = [];
    applyTransaction(dir, 'test', WRITES, seals, { beforeWrite: (p) => order.push(p) });
    expect(order.at(-1)).toBe('.spine/lock.json');
    expect(readFileSync(join(dir, '.claude/skills/x/SKILL.md'), 'utf8')).toBe('new skill\n');
    expect(statSync(join(dir, '.claude/hooks/keep.sh')).mode & 0o777).toBe(0o755);
    expect(() => statSync(join(dir, TXN_JOURNAL))).toThrow();
  });

  it.each([0, 1, 2, 3])('a crash before write %i is rolled back byte for byte by the next writer', (k) => {
    const { crashed, before } = crashAt(k);
    const recovery = recoverTransaction(sealed(crashed), seals);
    expect(recovery?.action).toBe('rolled-back');
    expect(snapshot(crashed)).toEqual(before);
    expect(statSync(join(crashed, '.claude/hooks/keep.sh')).mode & 0o777).toBe(0o755);
  });

  it('a crash after the lock was written only needs its cleanup: completed, files kept', () => {
    const dir = repo();
    let journal = '';
    applyTransaction(dir, 'test', WRITES, seals, {
      beforeWrite: (p) => {
        if (p === '.spine/lock.json') journal = readFileSync(join(dir, TXN_JOURNAL), 'utf8');
      },
    });
    const after = snapshot(dir);
    writeFileSync(join(dir, TXN_JOURNAL), journal);
    writeFileSync(join(dir, '.claude/settings.json.0123456789ab.tmp'), 'half');
    expect(recoverTransaction(sealed(dir), seals)?.action).toBe('completed');
    expect(snapshot(dir)).toEqual(after);
  });

  it('a journal naming a path outside the repository is refused, not followed', () => {
    const dir = repo();
    const entry = { path: '../outside.txt', before: null, mode: null, after: 'x', dirs: [] };
    writeFileSync(
      join(dir, TXN_JOURNAL),
      JSON.stringify({ journalVersion: 2, command: 'x', pid: 1, startedAt: '', entries: [entry] }),
    );
    expect(() => recoverTransaction(dir, seals)).toThrow(UserError);
  });
});

describe('containment', () => {
  it('follows links inside the root, reports the link that leaves it', () => {
    const dir = repo();
    const out = tempDir('spine-out-');
    writeTree(dir, { 'AGENTS.md': 'a\n' });
    symlinkSync('AGENTS.md', join(dir, 'CLAUDE.md'));
    symlinkSync(out, join(dir, '.claude/skills'));
    mkdirSync(join(dir, 'docs'));
    symlinkSync('../AGENTS.md', join(dir, 'docs/agents.md'));
    expect(resolveInside(dir, 'CLAUDE.md')).toEqual({ path: join(dir, 'AGENTS.md'), rel: 'AGENTS.md' });
    expect(resolveInside(dir, 'docs/agents.md')).toMatchObject({ rel: 'AGENTS.md' });
    expect(resolveInside(dir, '.claude/skills/x/SKILL.md')).toEqual({
      outsideVia: '.claude/skills',
      target: out,
    });
    expect(() => writeTarget(dir, '.claude/skills/x/SKILL.md')).toThrow(UserError);
    expect(() => writeTarget(dir, '../x')).toThrow(UserError);
    expect(resolveInside(dir, 'new/dir/file')).toEqual({
      path: join(dir, 'new/dir/file'),
      rel: 'new/dir/file',
    });
  });
});
