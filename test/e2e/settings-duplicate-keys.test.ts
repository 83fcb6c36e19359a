import { describe, expect, it } from 'vitest';
import { gitdir, snapshot, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// A settings file with the same key twice is valid to JSON.parse (the last one wins) and so to
// Claude Code, but an edit could land on either copy. Every command that would read and merge it
// stops with exit 2 naming the file, line and key, and writes nothing — never an internal error.

const DUPLICATED = '{\n  "permissions": 7,\n  "permissions": { "deny": ["Bash(rm -rf /:*)"] }\n}\n';
const MESSAGE =
  /\.claude\/settings\.json:3:3: duplicate key "permissions" \(Claude Code keeps the last one\): remove one of them/;

describe('a settings file with a duplicate key', () => {
  it('init refuses it with file:line and writes nothing', async () => {
    const repo = gitdir({ 'README.md': '# app\n', '.claude/settings.json': DUPLICATED });
    const before = snapshot(repo);
    const run = await runCli(['init', '--yes', '--team', 't', '--champion', '@c'], { cwd: repo });
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(MESSAGE)]);
    expect(snapshot(repo)).toEqual(before);
  });

  it('doctor, doctor --fix and update refuse it the same way', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', '@c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    writeTree(repo, { '.claude/settings.json': DUPLICATED });
    const before = snapshot(repo);
    for (const args of [['doctor'], ['doctor', '--fix'], ['update']]) {
      const run = await runCli(args, { cwd: repo });
      expect([run.code, run.stderr], args.join(' ')).toEqual([2, expect.stringMatching(MESSAGE)]);
      expect(run.stderr, args.join(' ')).not.toMatch(/internal error/);
    }
    expect(snapshot(repo)).toEqual(before);
  });
});
