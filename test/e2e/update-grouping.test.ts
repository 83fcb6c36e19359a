import { describe, expect, it } from 'vitest';
import { editFile } from '../helpers/spine-copy.js';
import { commit, onboard, settingsOf, update, useTaggedSpine } from '../helpers/update-spine.js';

useTaggedSpine();

describe('spine update: entries the team removed, grouped per guardrail', () => {
  it('a locked guardrail removed: one line listing its 18 rules, a warning, exit 0; a default one: no warning', async () => {
    const repo = await onboard();
    editFile(repo, '.claude/settings.json', (t) =>
      t.replace(/\s*"(Read|Edit)\(\*\*\/\.env[^"]*\)",?/g, '').replace(/\s*"Bash\(git push:\*\)",/, ''),
    );
    commit(repo, 'team removes the .env rules and the push gate');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const grouped = lines.filter((l) => l.includes('[secret-dotenv]'));
    expect(grouped).toEqual(['  = [secret-dotenv] (locked)  18 entries removed here; they stay removed']);
    const at = lines.indexOf(grouped[0]!);
    // The rules are listed under the group line, indented deeper than the next entry.
    const end = lines.findIndex((l, i) => i > at && !/^ {5,}\S/.test(l));
    const block = lines.slice(at, end);
    const listed = block.slice(1).join(' ');
    for (const l of block) expect(l.length, l).toBeLessThan(110);
    for (const rule of ['Read(**/.env)', 'Edit(**/.env)', 'Read(**/.env.test)', 'Edit(**/.env.local)'])
      expect(listed).toContain(rule);
    expect(result.stdout).toContain(
      '= permissions.ask:Bash(git push:*) [gate-git-push]  removed here; stays removed',
    );
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /warning.*locked guardrail secret-dotenv stays removed \(18 entries\); restore it with spine doctor --fix/,
      ),
    ]);
    expect(settingsOf(repo).permissions.deny).not.toContain('Read(**/.env)');
  });
});
