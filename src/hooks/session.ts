import { appendLine } from './append-line.js';
import { eventContext } from './event-context.js';
import { exportPending, startExporter } from './export-otlp.js';
import { keepMaskedNamesOutOfGit } from './git-exclude.js';
import { PLUGIN_ARG } from './plugin-copy.js';
import { auditDir, auditRoot, handleEvent, logFile } from './run-hook.js';
import { warn } from './say.js';
import {
  backfillKilledSessions,
  markSessionOpen,
  recordFromTranscript,
  type TranscriptSink,
} from './transcript-records.js';
import type { HookPayload, HookPolicy } from './types.js';
import type { ZoneOf } from './zones.js';

/**
 * The second file of the hook, `spine-hook-session.cjs`: every event but the blocking ones
 * (PreToolUse, PreSkillShellCommand), and the detached exporter. The entry (main.ts) requires it
 * only for those, so a tool call never compiles the transcript reader, the session summary or
 * the OTLP exporter before it is decided. Bundled on its own (scripts/build-hook.mjs); what it
 * shares with the entry it carries as its own copy.
 */

/** What the entry has already worked out for the event it hands on. */
export interface SessionEvent {
  raw: string;
  payload: HookPayload;
  policy: HookPolicy;
  projectDir: string;
  launchDir?: string;
  /** The hook's own file: the exporter is started as `node <it> export`. */
  scriptFile: string;
  /** The zone map beside the hook. */
  zonesFile: string;
  /** This process is the plugin's copy of the hook. */
  pluginCopy: boolean;
}

/** Records an event that never blocks: its audit line, and what the transcript shows at the end of a turn. */
export function runSessionEvent(input: SessionEvent): void {
  const { payload, policy, projectDir, launchDir } = input;
  const env = process.env;
  const event = typeof payload.hook_event_name === 'string' ? payload.hook_event_name : '';
  const { records, ctx } = eventContext(input);
  const { home, zoneOf } = ctx;
  handleEvent(
    payload,
    policy,
    ctx,
    warn,
    event === 'Stop' || event === 'SessionEnd' || event === 'SessionStart'
      ? () => fromTranscript(event, payload, policy, projectDir, home, launchDir, zoneOf)
      : undefined,
    records,
  );
  if (!records) return;
  if (event === 'SessionStart') keepMaskedNamesOutOfGit(projectDir, warn);
  if (event === 'SessionEnd')
    startExporter(input.scriptFile, policy, projectDir, env, input.pluginCopy ? [PLUGIN_ARG] : []);
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
  home: string,
  launchDir?: string,
  zoneOf?: ZoneOf,
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
    root: auditRoot(projectDir, audit.dir),
    policy,
    ctx: {
      projectDir,
      launchDir,
      ...(zoneOf ? { zoneOf } : {}),
      cwd: projectDir,
      home,
      now: new Date(),
    },
    append: (file, line) => appendLine(file, line, auditRoot(projectDir, audit.dir)),
    logFileFor: (at) => logFile(projectDir, audit.dir, at),
    warn,
  };
  try {
    if (event === 'SessionStart') {
      const settled = Number(process.env.SPINE_SETTLED_MS);
      backfillKilledSessions(
        sink,
        payload.session_id,
        payload.transcript_path,
        Number.isFinite(settled) && settled >= 0 ? settled : undefined,
      );
      markSessionOpen(sink, payload.session_id);
    } else recordFromTranscript(sink, payload.session_id, payload.transcript_path, event === 'SessionEnd');
  } catch (error) {
    warn(`spine: could not read the session transcript: ${(error as Error).message}`);
  }
}

/** `node spine-hook.cjs export`: the detached exporter the SessionEnd event starts. */
export async function runExport(policy: HookPolicy, projectDir: string): Promise<void> {
  await exportPending(policy, projectDir, process.env, new Date());
}
