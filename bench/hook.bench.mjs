// The hook's cost per event: Claude Code starts it for every tool call (goal: ≤ 1.5× node -e '').
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, row, timeCommand } from './lib.mjs';

export default async function ({ base }) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-hook-'));
  execFileSync('git', ['init', '-q', dir]);
  execFileSync(process.execPath, [BIN, 'init', '--yes', '--team', 'bench', '--champion', 'x'], { cwd: dir });
  const hook = join(dir, '.claude/hooks/spine-hook.mjs');
  const env = { ...process.env, CLAUDE_PROJECT_DIR: dir };
  const event = (command) =>
    JSON.stringify({
      session_id: 'bench',
      transcript_path: join(dir, 't.jsonl'),
      cwd: dir,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command, description: 'bench' },
      tool_use_id: 'toolu_bench',
    });
  const runs = 21;
  const allow = timeCommand(process.execPath, [hook], {
    runs,
    cwd: dir,
    env,
    input: event('npm test && git diff --stat'),
  });
  const deny = timeCommand(process.execPath, [hook], {
    runs,
    cwd: dir,
    env,
    input: event('python3 -c "open(\'.env\')"'),
  });
  rmSync(dir, { recursive: true, force: true });
  return [
    row(
      'hook: PreToolUse Bash, allowed + logged',
      allow.median,
      base,
      '≤ 1.5×',
      `min ${allow.min.toFixed(1)} ms`,
    ),
    row('hook: PreToolUse Bash, secret denied', deny.median, base, '≤ 1.5×', `min ${deny.min.toFixed(1)} ms`),
  ];
}
