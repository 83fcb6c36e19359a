import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';
import {
  commit,
  ENDPOINT,
  lockOf,
  onboard,
  settingsOf,
  update,
  useTaggedSpine,
} from '../helpers/update-spine.js';

useTaggedSpine();

describe('spine update: settings.json, entry by entry', () => {
  it('keeps a rule the team removed when the new version keeps it, and replaces a changed rule in place', async () => {
    const repo = await onboard();
    editFile(repo, '.claude/settings.json', (t) => t.replace(/\s*"Bash\(git push:\*\)",/, ''));
    commit(repo, 'team removes the push gate');
    const askBefore: string[] = settingsOf(repo).permissions.ask;

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '= permissions.ask:Bash(git push:*) [gate-git-push]  removed here; stays removed',
    );
    const ask: string[] = settingsOf(repo).permissions.ask;
    expect(ask).not.toContain('Bash(git push:*)');
    expect(ask.indexOf('Bash(flyctl deploy:*)')).toBe(askBefore.indexOf('Bash(fly deploy:*)'));
    expect(ask).not.toContain('Bash(fly deploy:*)');
  });

  it('makes a rule the team removed a conflict when the new version changes it; resolve --theirs takes it', async () => {
    const repo = await onboard();
    editFile(repo, '.claude/settings.json', (t) => t.replace(/\s*"Bash\(fly deploy:\*\)",/, ''));
    commit(repo, 'team removes fly deploy');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('! permissions.ask:Bash(flyctl deploy:*) [gate-deploy]');
    expect(settingsOf(repo).permissions.ask).not.toContain('Bash(flyctl deploy:*)');
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({ kind: 'setting', key: 'permissions.ask:Bash(flyctl deploy:*)', ours: null }),
    ]);

    const resolved = await runCli(['resolve', 'gate-deploy', '--theirs'], { cwd: repo });
    expect(resolved.code).toBe(0);
    expect(settingsOf(repo).permissions.ask).toContain('Bash(flyctl deploy:*)');
    expect((await update(repo, '--continue')).code).toBe(0);
  });

  it('never removes a rule the team owned before init when the new version drops it', async () => {
    const teamSettings = `${JSON.stringify({ permissions: { deny: ['Bash(curl * | sh*)'] } }, null, 2)}\n`;
    const repo = await onboard({ '.claude/settings.json': teamSettings });
    const owner = lockOf(repo).settings.find(
      (e: { key: string }) => e.key === 'permissions.deny:Bash(curl * | sh*)',
    );
    expect(owner.owner).toBe('team');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    const deny: string[] = settingsOf(repo).permissions.deny;
    expect(deny).toContain('Bash(curl * | sh*)');
    expect(deny).not.toContain('Bash(wget * | sh*)');
    expect(result.stdout).toContain('- permissions.deny:Bash(wget * | sh*)');
    expect(result.stdout).toContain('= permissions.deny:Bash(curl * | sh*)');
    expect(lockOf(repo).settings.some((e: { key: string }) => e.key.includes('curl'))).toBe(false);
  });

  it('keeps ours when env changed on both sides, records theirs, and resolve --theirs applies it', async () => {
    const repo = await onboard();
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel.example.com');
    editFile(repo, '.claude/settings.json', (t) =>
      t.replace('https://otel.example.com', 'https://otel.payments.example'),
    );
    commit(repo, 'team collector');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`! env:${ENDPOINT}`);
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel.payments.example');
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({
        kind: 'setting',
        key: `env:${ENDPOINT}`,
        ours: 'https://otel.payments.example',
        theirs: 'https://otel2.example.com',
      }),
    ]);
    expect((await runCli(['resolve', `env:${ENDPOINT}`, '--theirs'], { cwd: repo })).code).toBe(0);
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel2.example.com');
    expect((await update(repo, '--continue')).code).toBe(0);
  });
});
