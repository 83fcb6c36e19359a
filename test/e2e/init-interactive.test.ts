import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitdir, read } from '../helpers/gitdir.js';
import { BIN } from '../helpers/run-cli.js';

/**
 * On a terminal, init asks for what the flags did not give. util-linux `script` gives the CLI a
 * real pseudo-terminal; the test answers each prompt when it appears.
 */
function runOnTerminal(
  cwd: string,
  args: string[],
  answers: [RegExp, string][],
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1' } as Record<string, string | undefined>;
    delete env.CI;
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env: env as NodeJS.ProcessEnv });
    let output = '';
    const pending = [...answers];
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer to a prompt; output so far:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const next = pending[0];
      if (next?.[0].test(output)) {
        pending.shift();
        output += '\n';
        child.stdin.write(`${next[1]}\r`);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe.skipIf(!existsSync('/usr/bin/script'))('spine init on a terminal', () => {
  it('asks for the team and the champion, and records the answers', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await runOnTerminal(
      repo,
      ['init'],
      [
        [/Team name/, 'payments'],
        [/Spine champion/, '@alice'],
      ],
    );
    expect(result.code, result.output).toBe(0);
    expect(read(repo, '.spine/local.yaml')).toContain('team: "payments"');
    expect(read(repo, '.spine/local.yaml')).toContain('champion: "@alice"');
  });

  it('does not ask for what the flags give', async () => {
    const repo = gitdir();
    const result = await runOnTerminal(repo, ['init', '--team', 'ops', '--champion', '@bo'], []);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/Team name|Spine champion/);
  });
});
