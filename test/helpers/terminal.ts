import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN } from './run-cli.js';

/** util-linux `script`, which gives the CLI a real pseudo-terminal. */
export const HAS_SCRIPT = existsSync('/usr/bin/script');

/**
 * Runs the CLI on a real pseudo-terminal and answers each prompt when it appears (each answer
 * is followed by Enter).
 */
export function runOnTerminal(
  cwd: string,
  args: string[],
  answers: [RegExp, string][],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', ...extraEnv } as Record<string, string | undefined>;
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
