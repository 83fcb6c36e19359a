import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitdir, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

export const HOOK = '.claude/hooks/spine-hook.cjs';
export const SECRET_VALUE = 'sk_live_0123456789abcdefABCDEF';

/** A repo onboarded with the embedded spine, holding a real .env with a live-looking secret. */
export async function onboardedRepo(): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n', 'src/app.ts': 'export {};\n' });
  const init = await runCli(['init', '--team', 'payments', '--champion', '@alice', '--yes'], { cwd: repo });
  if (init.code !== 0) throw new Error(`spine init failed: ${init.stderr}`);
  writeTree(repo, { '.env': `STRIPE_KEY=${SECRET_VALUE}\n`, '.env.example': 'STRIPE_KEY=\n' });
  return repo;
}

/** The session of the payloads `hookEvent` builds. */
export const TEST_SESSION = 'e210c704-0000-4000-8000-000000000001';

/** One event's payload as Claude Code sends it to the hook, in a session in `repo`. */
export function hookEvent(repo: string, name: string, fields: Record<string, unknown> = {}) {
  return {
    session_id: TEST_SESSION,
    transcript_path: '/t.jsonl',
    cwd: repo,
    hook_event_name: name,
    ...fields,
  };
}

export interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the hook as Claude Code does: payload on stdin, CLAUDE_PROJECT_DIR set, any cwd; `env`
 * adds to (or, as undefined, removes from) the environment.
 */
export function runHook(
  repo: string,
  payload: unknown,
  cwd = repo,
  env: Record<string, string | undefined> = {},
): HookRun {
  const result = spawnSync(process.execPath, [join(repo, HOOK)], {
    cwd,
    input: typeof payload === 'string' ? payload : JSON.stringify(payload),
    env: { ...process.env, CLAUDE_PROJECT_DIR: repo, ...env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Every line of every audit file, parsed. */
export function auditLines(repo: string): Record<string, any>[] {
  const dir = join(repo, '.spine/audit');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}
