import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOOK } from '../hooks/run-hook.js';
import { git, gitdir, type Tree, tempDir } from './gitdir.js';
import type { OtlpReceiver } from './otlp-receiver.js';
import { runCli } from './run-cli.js';
import { bashCall, jsonl } from './transcript.js';

/**
 * The path from a hook process to the report, shared by the telemetry tests: team repos onboarded
 * with an origin (their telemetry id), hook events sent as the client sends them, the exporter
 * pointed at a receiver, and the report read back from what the receiver collected.
 */

/** A repo of `team` at github.com/acme/<team>, onboarded to `spine` (champion `<team>-lead`). */
export async function onboardTeam(
  spine: string,
  team: string,
  files: Tree = { 'README.md': `# ${team}\n` },
  champion = `${team}-lead`,
): Promise<string> {
  const repo = gitdir(files);
  git(repo, 'remote', 'add', 'origin', `https://github.com/acme/${team}.git`);
  const init = await runCli(['init', '--yes', '--team', team, '--champion', champion, '--spine', spine], {
    cwd: repo,
  });
  if (init.code !== 0) throw new Error(`spine init failed (${init.code}): ${init.stderr}`);
  return repo;
}

/**
 * The environment the client gives the hook, telemetry on ('1') or off ('0'). The person the hook
 * records is who git commits as in the repository, so the runner's GIT_AUTHOR_EMAIL is cleared.
 */
export function hookEnv(repo: string, home: string, telemetry: '0' | '1'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    CLAUDE_PROJECT_DIR: repo,
    CLAUDE_CODE_ENABLE_TELEMETRY: telemetry,
    GIT_AUTHOR_EMAIL: '',
  };
}

/** One hook event through the real hook process, telemetry off so SessionEnd exports nothing. */
export function sendHookEvent(repo: string, home: string, payload: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(repo, HOOK)],
      { cwd: repo, env: hookEnv(repo, home, '0') },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin?.end(JSON.stringify({ cwd: repo, ...payload }));
  });
}

export interface CallOutcome {
  output: string;
  isError?: boolean;
  /** More fields of the result's transcript entry (the newer client's `permissionDecision`). */
  extra?: Record<string, unknown>;
}

/**
 * One session through the real hook process: each Bash command's PreToolUse, then its result as
 * the client writes it to the transcript (`outcome`, asked once the hook has decided; the i-th
 * call at `at(i)`), and SessionEnd, where the hook reads that transcript. Call ids: `<id>_<i>`.
 */
export async function hookSession(
  repo: string,
  id: string,
  commands: string[],
  outcome: (callId: string, i: number) => CallOutcome,
  at: (i: number) => Date = (i) => new Date(Date.now() + i * 1000),
): Promise<void> {
  const home = tempDir('spine-hook-home-');
  const transcript = join(tempDir('spine-transcript-'), `${id}.jsonl`);
  const entries: unknown[] = [];
  for (const [i, command] of commands.entries()) {
    const callId = `${id}_${i}`;
    await sendHookEvent(repo, home, {
      session_id: id,
      transcript_path: transcript,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_use_id: callId,
      tool_input: { command },
    });
    const { output, ...options } = outcome(callId, i);
    entries.push(...bashCall(callId, command, output, { ...options, timestamp: at(i).toISOString() }));
  }
  writeFileSync(transcript, jsonl(entries));
  await sendHookEvent(repo, home, {
    session_id: id,
    transcript_path: transcript,
    hook_event_name: 'SessionEnd',
    reason: 'other',
  });
}

/**
 * Points each repo's exporter at `receiver`, runs it, and writes each repo's facts without their
 * activity (whatever the report then counts comes from telemetry). Returns the facts files.
 */
export async function exportToReceiver(
  repos: Record<string, string>,
  receiver: OtlpReceiver,
  home: () => string,
): Promise<{ dir: string; facts: string[] }> {
  const dir = tempDir('spine-telemetry-facts-');
  const facts: string[] = [];
  for (const [team, repo] of Object.entries(repos)) {
    const policyFile = join(repo, '.claude/hooks/spine-policy.json');
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    policy.telemetry = { endpoint: receiver.endpoint, protocol: 'http/json' };
    writeFileSync(policyFile, JSON.stringify(policy));
    await promisify(execFile)(process.execPath, [join(repo, HOOK), 'export'], {
      cwd: repo,
      env: hookEnv(repo, home(), '1'),
    });
    const collected = await runCli(['facts', '--json'], { cwd: repo });
    const file = join(dir, `${team}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(collected.stdout), activity: null }));
    facts.push(file);
  }
  return { dir, facts };
}

/** `spine report --json` over facts files and what the receiver collected (`--otel`). */
export function reportFromOtel(exported: { dir: string; facts: string[] }, receiver: OtlpReceiver) {
  return runCli(
    [
      'report',
      ...exported.facts.flatMap((f) => ['--facts', f]),
      '--otel',
      receiver.logsFile,
      '--no-doctor',
      '--json',
    ],
    { cwd: exported.dir },
  );
}
