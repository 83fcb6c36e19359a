import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { onboardedRepo } from './run-hook.js';

const PROCESSES = 8;
const EVENTS = 500;
const BIG = 100_000;

// Each writer drives the hook runtime (src/hooks/run-hook.ts, bundled as the hook is) in a tight
// loop: decide, redact, append.
const WRITER = `
const [runHookUrl, repo, policyFile, proc, count, big, startAt] = process.argv.slice(1);
const { handleEvent } = await import(runHookUrl);
const policy = JSON.parse((await import('node:fs')).readFileSync(policyFile, 'utf8'));
policy.audit.maxFieldChars = 2 * Number(big);
const now = new Date('2030-01-02T03:04:05Z');
const filler = 'x'.repeat(Number(big));
while (Date.now() < Number(startAt)) {}
for (let i = 0; i < Number(count); i++) {
  const command = 'echo p' + proc + '-' + i + (i % 10 === 0 ? ' ' + filler : '');
  const payload = { session_id: 's' + proc, hook_event_name: 'PreToolUse', tool_name: 'Bash',
    tool_input: { command }, tool_use_id: 't' + i, agent_id: i % 2 ? 'a' + proc : undefined };
  const result = handleEvent(payload, policy, { projectDir: repo, cwd: repo, home: '/nonexistent', now },
    (m) => { process.stderr.write(m + '\\n'); process.exitCode = 1; });
  if (!result.logFile) process.exitCode = 1;
}
`;

function runWriter(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent writers', () => {
  it(`${PROCESSES} processes × ${EVENTS} events, some of ${BIG / 1000} KB, into one log: no line lost or torn`, async () => {
    const repo = await onboardedRepo();
    const policyFile = join(tempDir(), 'policy.json');
    writeFileSync(policyFile, readFileSync(join(repo, '.claude/hooks/spine-policy.json')));
    const runHook = join(tempDir(), 'run-hook.mjs');
    await build({
      entryPoints: [join(REPO_ROOT, 'src/hooks/run-hook.ts')],
      outfile: runHook,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'error',
    });
    const runHookUrl = pathToFileURL(runHook).href;
    const startAt = Date.now() + 1500;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, p) =>
        runWriter([runHookUrl, repo, policyFile, String(p), String(EVENTS), String(BIG), String(startAt)]),
      ),
    );
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });

    const text = readFileSync(join(repo, '.spine/audit/2030-01-02.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(PROCESSES * EVENTS);
    const seen = new Set<string>();
    let big = 0;
    for (const line of lines) {
      const record = JSON.parse(line);
      const command: string = record.tool_input.command;
      const id = /^echo (p\d+-\d+)/.exec(command)![1]!;
      const [p, i] = id.slice(1).split('-').map(Number) as [number, number];
      expect(record.session_id).toBe(`s${p}`);
      expect(record.agent_id).toBe(i % 2 ? `a${p}` : null);
      if (i % 10 === 0) {
        expect(command.length).toBe(id.length + 6 + BIG);
        big++;
      }
      seen.add(id);
    }
    expect(seen.size).toBe(PROCESSES * EVENTS);
    expect(big).toBe(PROCESSES * (EVENTS / 10));
  });
});
