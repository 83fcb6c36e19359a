import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { appendLine } from './append-line.js';
import { exportPending, startExporter } from './export-otlp.js';
import { auditDir, handleEvent, logFile } from './run-hook.js';
import { ensureToolchainDirs } from './toolchain-dirs.js';
import { backfillKilledSessions, recordFromTranscript, type TranscriptSink } from './transcript-records.js';
import type { HookPayload, HookPolicy } from './types.js';

/**
 * The hook entry point Claude Code runs for every event (see settings-entries.ts for how it is
 * wired). Reads the event on stdin and the policy beside this file; everything is synchronous so
 * the process starts, answers and exits with no event-loop turns. Exit code is always 0: a deny
 * is a JSON answer on stdout, and a failure is a line on stderr that never blocks the agent.
 */
function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    // No stdin at all (a closed descriptor): an empty event.
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') throw error;
    return '';
  }
}

function run(): void {
  let payload: HookPayload;
  let policy: HookPolicy;
  try {
    payload = JSON.parse(readStdin() || '{}') as HookPayload;
  } catch (error) {
    warn(`spine: the hook could not read the event JSON on stdin: ${(error as Error).message}`);
    return;
  }
  try {
    policy = JSON.parse(readFileSync(new URL('./spine-policy.json', import.meta.url), 'utf8')) as HookPolicy;
  } catch (error) {
    warn(
      `spine: the hook could not read spine-policy.json beside it (run spine doctor --fix): ${(error as Error).message}`,
    );
    return;
  }
  const env = process.env;
  const projectDir =
    env.CLAUDE_PROJECT_DIR || (typeof payload.cwd === 'string' && payload.cwd) || process.cwd();
  const event = payload.hook_event_name ?? '';
  if (event === 'PreToolUse' && payload.tool_name === 'Bash')
    ensureToolchainDirs(policy, env.HOME || homedir(), warn);
  const result = handleEvent(
    payload,
    policy,
    {
      projectDir,
      cwd: (typeof payload.cwd === 'string' && payload.cwd) || projectDir,
      home: env.HOME || homedir(),
      now: new Date(),
    },
    warn,
    event === 'Stop' || event === 'SessionEnd' || event === 'SessionStart'
      ? () => fromTranscript(event, payload, policy, projectDir, env)
      : undefined,
  );
  if (result.stdout) process.stdout.write(`${result.stdout}\n`);
  if (event === 'SessionEnd') startExporter(fileURLToPath(import.meta.url), policy, projectDir, env);
}

/**
 * What the transcript shows and no hook recorded: the finished calls' PostToolUse records (no
 * process per call: docs/hooks.md) and the near-misses the client's own rules decided before any
 * hook ran. At the end of each turn and of the session; at SessionStart, for earlier sessions
 * that were killed before they could do it themselves.
 */
function fromTranscript(
  event: string,
  payload: HookPayload,
  policy: HookPolicy,
  projectDir: string,
  env: NodeJS.ProcessEnv,
): void {
  const audit = policy.audit;
  if (
    !audit?.enabled ||
    typeof payload.transcript_path !== 'string' ||
    typeof payload.session_id !== 'string'
  )
    return;
  const sink: TranscriptSink = {
    logDir: auditDir(projectDir, audit.dir),
    policy,
    ctx: { projectDir, cwd: projectDir, home: env.HOME || homedir(), now: new Date() },
    append: appendLine,
    logFileFor: (at) => logFile(projectDir, audit.dir, at),
    warn,
  };
  try {
    if (event === 'SessionStart') {
      const settled = Number(env.SPINE_SETTLED_MS);
      backfillKilledSessions(
        sink,
        payload.session_id,
        payload.transcript_path,
        Number.isFinite(settled) && settled >= 0 ? settled : undefined,
      );
    } else recordFromTranscript(sink, payload.session_id, payload.transcript_path, event === 'SessionEnd');
  } catch (error) {
    warn(`spine: could not read the session transcript: ${(error as Error).message}`);
  }
}

/** `node spine-hook.mjs export`: the detached exporter the SessionEnd event starts. */
async function runExport(): Promise<void> {
  const policy = JSON.parse(
    readFileSync(new URL('./spine-policy.json', import.meta.url), 'utf8'),
  ) as HookPolicy;
  const projectDir = process.env.CLAUDE_PROJECT_DIR || process.cwd();
  await exportPending(policy, projectDir, process.env, new Date());
}

// Claude Code kills async hooks still running when a session ends. The work here is synchronous,
// so a handled signal waits until the record is written and is then dropped: a kill can no
// longer cut a record off half-way once the hook has started.
const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const ignore = () => {};
if (process.argv[2] === 'export') {
  runExport().catch(() => {});
} else {
  for (const signal of SIGNALS) process.on(signal, ignore);
  try {
    run();
  } catch (error) {
    warn(`spine: internal error in the hook (the call proceeds): ${(error as Error).message}`);
  }
  for (const signal of SIGNALS) process.off(signal, ignore);
  process.exitCode = 0;
}
