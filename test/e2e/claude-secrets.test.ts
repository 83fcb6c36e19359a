import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaudeRun, runClaude } from '../helpers/claude.js';
import { gitdir, read, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, type Script, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The real Claude Code client, after `spine init`, driven by a scripted model that tries to read
 * `.env`. The team trusts its agent (`--allowedTools Bash Read`), so what holds is spine's rules,
 * not the client's cautious defaults. Three sessions run side by side: spine as init wrote it;
 * its permission rules without its hook (the rules hold alone); and a control without either,
 * where the secret does reach the model, so this test can fail.
 */

const SPINE_SKILLS = ['review-change', 'write-commit-message', 'handle-secrets', 'investigate-failure'];

interface Session {
  secret: string;
  repo: string;
  run: ClaudeRun;
  server: ModelServer;
}

function script(repo: string): Script {
  return {
    main: [
      { tools: [{ name: 'Bash', input: { command: 'cat .env', description: 'Show the environment file' } }] },
      { tools: [{ name: 'Read', input: { file_path: join(repo, '.env') } }] },
      { text: 'finished' },
    ],
  };
}

/** A repo with a unique secret in `.env`, onboarded with spine; `strip` edits its settings first. */
async function session(strip?: (settings: Record<string, unknown>) => void): Promise<Session> {
  const secret = `sk-e2e-${randomBytes(12).toString('hex')}`;
  const repo = gitdir({ 'README.md': '# app\n' });
  writeTree(repo, { '.env': `API_TOKEN=${secret}\n` });
  const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  if (strip) {
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    strip(settings);
    writeTree(repo, { '.claude/settings.json': JSON.stringify(settings, null, 2) });
  }
  const server = await startModelServer(script(repo));
  const run = await runClaude({
    prompt: 'Look at the project configuration.',
    cwd: repo,
    baseUrl: server.baseUrl,
    args: ['--allowedTools', 'Bash', 'Read'],
  });
  return { secret, repo, run, server };
}

const RULE_REFUSAL = /has been denied|denied by your permission settings/;

describe('the real client in a repo onboarded with spine', () => {
  let guarded: Session;
  let rulesOnly: Session;
  let unguarded: Session;

  beforeAll(async () => {
    [guarded, rulesOnly, unguarded] = await Promise.all([
      session(),
      // spine's permission rules alone, without its hook: they must hold by themselves.
      session((settings) => {
        delete settings.hooks;
      }),
      // The control: spine's deny rules gone (and its hook and OS sandbox, which guard secrets too).
      session((settings) => {
        delete (settings.permissions as Record<string, unknown>).deny;
        delete settings.hooks;
        delete settings.sandbox;
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([guarded, rulesOnly, unguarded].map((s) => s?.server.close()));
  });

  it('lists every spine skill in its system/init message', () => {
    expect(guarded.run.code, guarded.run.stderr).toBe(0);
    expect(guarded.run.init?.skills).toEqual(expect.arrayContaining(SPINE_SKILLS));
    expect(guarded.run.init?.tools).toEqual(expect.arrayContaining(['Bash', 'Read']));
  });

  it('refuses `cat .env` and a Read of .env', () => {
    const results = guarded.server.toolResults('main');
    expect(results.map((r) => r.toolUseId)).toEqual(['toolu_main_0_0', 'toolu_main_1_0']);
    for (const result of results) expect(result.isError, result.text).toBe(true);
    // The model got to the end of its script: both refusals were sent back to it.
    expect(guarded.server.requests.some((r) => r.route.kind === 'main' && r.turn === 2)).toBe(true);
    expect(guarded.server.unknown()).toEqual([]);
  });

  it('never sends the secret value to the model server', () => {
    expect(guarded.server.requests.length).toBeGreaterThan(0);
    expect(guarded.server.leaks(guarded.secret)).toEqual([]);
  });

  it('refuses both by permission rule even without the hook', () => {
    expect(rulesOnly.run.code, rulesOnly.run.stderr).toBe(0);
    const results = rulesOnly.server.toolResults('main');
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toMatch(RULE_REFUSAL);
    }
    // The client counts the Bash refusal as a permission denial. Whether the Read of a denied
    // path is listed too depends on the client (2.1.332 lists it, 2.1.197 rejects it earlier,
    // as an input error): what spine guarantees is the refusal above, not the client's list.
    expect(rulesOnly.run.result?.permission_denials).toEqual(
      expect.arrayContaining([expect.objectContaining({ tool_name: 'Bash', tool_use_id: 'toolu_main_0_0' })]),
    );
    expect(rulesOnly.server.leaks(rulesOnly.secret)).toEqual([]);
  });

  it('control: without spine rules the same session leaks the secret', () => {
    expect(unguarded.run.code, unguarded.run.stderr).toBe(0);
    const results = unguarded.server.toolResults('main');
    expect(results).toHaveLength(2);
    for (const result of results) expect(result.text).toContain(unguarded.secret);
    expect(unguarded.server.leaks(unguarded.secret).length).toBeGreaterThan(0);
  });
});
