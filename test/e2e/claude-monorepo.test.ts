import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaudeRun, runClaude } from '../helpers/claude.js';
import { gitdir, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, type Script, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The real client in a monorepo onboarded with spine: npm workspaces with three packages and a
 * Cargo crate, a secret in the root's `.env` and in two members'. Sessions started at the root,
 * in `packages/api` and in the crate run side by side and try to read every secret with Bash and
 * Read: none reaches the model, and every call is in the root's audit log with its launch
 * directory. A control started in `packages/api` of the same repo without the per-directory
 * settings prints the secrets (settings are not inherited from the root), so this test can fail.
 */

const LAUNCH_DIRS = ['', 'packages/api', 'crates/engine'] as const;
const SECRET_FILES = ['.env', 'packages/api/.env', 'crates/engine/.env'] as const;

interface Monorepo {
  repo: string;
  secrets: string[];
}

async function monorepo(perDirectorySettings: boolean): Promise<Monorepo> {
  const secrets = SECRET_FILES.map(() => `sk-mono-${randomBytes(12).toString('hex')}`);
  const repo = gitdir({
    'package.json': '{"name":"mono","private":true,"workspaces":["packages/*"]}\n',
    'packages/api/package.json': '{"name":"api"}\n',
    'packages/web/package.json': '{"name":"web"}\n',
    'packages/worker/package.json': '{"name":"worker"}\n',
    'Cargo.toml': '[workspace]\nmembers = ["crates/engine"]\n',
    'crates/engine/Cargo.toml': '[package]\nname = "engine"\nversion = "0.1.0"\n',
    '.gitignore': '.env\n',
  });
  writeTree(repo, Object.fromEntries(SECRET_FILES.map((f, i) => [f, `TOKEN=${secrets[i]}\n`])));
  const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  if (!perDirectorySettings) {
    for (const dir of LAUNCH_DIRS.filter(Boolean)) rmSync(join(repo, dir, '.claude'), { recursive: true });
  }
  return { repo, secrets };
}

/** From `dir`: its own .env and the root's with Bash, then every secret file with Read. */
function script(repo: string, dir: string): Script {
  const up = dir ? '../../' : '';
  const other = dir ? `${up}.env` : 'packages/api/.env';
  return {
    main: [
      { tools: [{ name: 'Bash', input: { command: 'cat .env', description: 'Show env' } }] },
      { tools: [{ name: 'Bash', input: { command: `cat ${other}`, description: 'Show env' } }] },
      ...SECRET_FILES.map((f) => ({ tools: [{ name: 'Read', input: { file_path: join(repo, f) } }] })),
      { text: 'finished' },
    ],
  };
}

interface Session {
  dir: string;
  server: ModelServer;
  run: ClaudeRun;
}

async function session(repo: string, dir: string): Promise<Session> {
  const server = await startModelServer(script(repo, dir));
  const run = await runClaude({
    prompt: 'Look at the configuration.',
    cwd: join(repo, dir),
    baseUrl: server.baseUrl,
    args: ['--allowedTools', 'Bash', 'Read'],
    timeoutMs: 90_000,
  });
  return { dir, server, run };
}

function auditRecords(repo: string): Record<string, any>[] {
  const dir = join(repo, '.spine/audit');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

describe('the real client started anywhere in a monorepo', () => {
  let guarded: Monorepo;
  let bare: Monorepo;
  let sessions: Session[];
  let control: Session;

  beforeAll(async () => {
    [guarded, bare] = await Promise.all([monorepo(true), monorepo(false)]);
    [control, ...sessions] = await Promise.all([
      session(bare.repo, 'packages/api'),
      ...LAUNCH_DIRS.map((dir) => session(guarded.repo, dir)),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([control, ...(sessions ?? [])].map((s) => s?.server.close()));
  });

  it('refuses every secret read from every launch directory; no secret reaches the model', () => {
    for (const s of sessions) {
      expect(s.run.code, `${s.dir || 'root'}: ${s.run.stderr}`).toBe(0);
      const results = s.server.toolResults('main');
      expect(results, s.dir).toHaveLength(5);
      for (const r of results) expect(r.isError, `${s.dir || 'root'}: ${r.text}`).toBe(true);
      for (const secret of guarded.secrets) expect(s.server.leaks(secret), s.dir).toEqual([]);
    }
  });

  it("records every call in the root's audit log with its launch directory", () => {
    const pre = auditRecords(guarded.repo).filter((r) => r.event === 'PreToolUse');
    for (const s of sessions) {
      const mine = pre.filter((r) => r.session_id === s.run.init?.session_id);
      expect(
        mine.map((r) => r.tool_use_id),
        s.dir,
      ).toEqual(['toolu_main_0_0', 'toolu_main_1_0', 'toolu_main_2_0', 'toolu_main_3_0', 'toolu_main_4_0']);
      for (const r of mine) expect(r.launch_dir).toBe(s.dir || undefined);
    }
    // Nothing was logged inside a package.
    for (const dir of LAUNCH_DIRS.filter(Boolean)) {
      expect(() => readdirSync(join(guarded.repo, dir, '.spine'))).toThrow();
    }
  });

  it('control: started in a package without its own settings, the same session leaks', () => {
    expect(control.run.code, control.run.stderr).toBe(0);
    const leaked = bare.secrets.filter((secret) => control.server.leaks(secret).length > 0);
    expect(leaked.length).toBeGreaterThan(0);
  });
});
