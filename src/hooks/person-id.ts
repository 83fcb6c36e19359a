import { childProcess, crypto } from './lazy-builtins.js';

/**
 * Who answered an ask gate, as a pseudonym: the report counts distinct people per gate, and a
 * person who works in several repositories must count once. The identity is the one git commits
 * with in the project (`GIT_AUTHOR_EMAIL`, else `git config user.email`): the same on every
 * repository of a developer's machine and across machines, unlike the OS user (`root` in every
 * container). Only a hash leaves this function — `p-` and 16 hex digits of SHA-256 over a fixed
 * prefix and the lower-cased address — so no address reaches the audit log or the collector.
 * Someone who already knows an address can confirm it by hashing it; the hash keeps addresses
 * out of logs, it does not make a person anonymous. No identity configured: no id, the answer
 * still counts, the person does not.
 */
export function personId(projectDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const email = (env.GIT_AUTHOR_EMAIL?.trim() || gitEmail(projectDir, env)).toLowerCase();
  if (!email) return undefined;
  return `p-${crypto().createHash('sha256').update(`spine-person/v1\n${email}`).digest('hex').slice(0, 16)}`;
}

/** `git config` only reads configuration: it runs no hook, filter or fsmonitor of the repository. */
function gitEmail(cwd: string, env: NodeJS.ProcessEnv): string {
  try {
    return childProcess()
      .execFileSync('git', ['config', '--get', 'user.email'], {
        cwd,
        env,
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      .trim();
  } catch {
    return '';
  }
}
