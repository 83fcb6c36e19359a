import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs';
import { DEFAULT_DEADLINE_MS, startDeadline } from './deadline.js';
import { eventContext } from './event-context.js';
import { eventOf, NEVER_BLOCKS } from './event-kinds.js';
import { locateRepo } from './launch-dir.js';
import { type HookSite, PLUGIN_ARG, pluginSite } from './plugin-copy.js';
import { checkPolicy } from './policy-check.js';
import { GUARDED_EVENTS, type HookResult, handleEvent } from './run-hook.js';
import { say, warn } from './say.js';
import { scriptFile } from './self.js';
import type { SessionEvent } from './session.js';
import { ensureToolchainDirs } from './toolchain-dirs.js';
import type { HookHost, HookPayload, HookPolicy } from './types.js';

/**
 * The hook's work for every event, `spine-hook-guard.cjs`: what the entry Claude Code runs
 * (entry.ts, `spine-hook.cjs`; see settings-entries.ts for how it is wired) calls with the event
 * it read on stdin. Reads the policy beside this file; everything is synchronous so the process
 * starts, answers and exits with no event-loop turns. A deny is a JSON answer on
 * stdout. The guard fails closed: on PreToolUse, anything that keeps it from deciding (no policy,
 * a policy that does not check, an event that does not parse, an error in the decision) blocks
 * the call with exit 2 and one line on stderr. Other events never block; they say what failed.
 * This file decides the blocking events on its own; every other event, and the exporter, is in
 * spine-hook-session.cjs beside it (session.ts), loaded only for them, through the code cache
 * like this file (code-cache.ts).
 */
const FIX = 'spine doctor --fix restores it';
/** Larger than any policy spine writes: a policy this big was not written by spine. */
const MAX_POLICY_BYTES = 4 * 1024 * 1024;

/** Blocks the tool call: exit 2 with the reason on stderr, which the client shows the agent. */
function refuse(what: string): void {
  say(2, `spine: ${what}; the tool call is blocked (${FIX})\n`);
  process.exitCode = 2;
}

/**
 * The policy beside this file: a regular file (no link, no FIFO, no device), of a sane size,
 * whose shape checks. Opened non-blocking so a FIFO planted in its place cannot hang the hook.
 */
function readPolicy(path: string): HookPolicy {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fsConstants;
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new Error('spine-policy.json beside the hook is a symlink');
    if (code === 'ENOENT') throw new Error('spine-policy.json beside the hook is missing');
    throw new Error(`spine-policy.json beside the hook cannot be read (${code})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error('spine-policy.json beside the hook is not a regular file');
    if (stat.size > MAX_POLICY_BYTES) throw new Error('spine-policy.json beside the hook is too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(fd, 'utf8'));
    } catch (error) {
      throw new Error(`spine-policy.json beside the hook is not valid JSON (${(error as Error).message})`);
    }
    try {
      return checkPolicy(parsed);
    } catch (error) {
      throw new Error(`spine-policy.json beside the hook is not a spine policy: ${(error as Error).message}`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether this event may block: PreToolUse, or an event not known to be one that never does. */
let guarding = true;
/**
 * The way a guarded event took through this file: `allow`, `deny-guard`, `ask-rule`, `deny-rule`.
 * The entry keeps the code cache of the event's kind covering each (code-cache.ts): a denied
 * call runs other functions than an allowed one, and would compile them at every run. A guard
 * that failed names no route: its rare error path is not worth code every run deserialises.
 */
let route = '';

function routeOf(result: HookResult): string {
  if (result.failed) return '';
  const verdict = result.verdict;
  if (!verdict) return '';
  return verdict.layer ? `${verdict.decision}-${verdict.layer}` : verdict.decision;
}
/** This process is the plugin's copy of the hook (`spine export plugin`). */
const pluginCopy = process.argv[2] === PLUGIN_ARG;

function run(host: HookHost): void {
  const { raw, parsed } = host;
  const payload = 'payload' in parsed ? (parsed.payload as HookPayload) : undefined;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    const why = 'error' in parsed ? parsed.error.message : 'not an object';
    const message = `the hook could not read the event JSON on stdin (${why})`;
    if (NEVER_BLOCKS.has(eventOf(raw))) warn(`spine: ${message}`);
    else refuse(message);
    return;
  }
  const event = typeof payload.hook_event_name === 'string' ? payload.hook_event_name : '';
  guarding = !NEVER_BLOCKS.has(event);
  const env = process.env;
  const started = env.CLAUDE_PROJECT_DIR || (typeof payload.cwd === 'string' && payload.cwd) || process.cwd();
  const site = hookSite(env, started);
  // The plugin's copy outside any onboarded repository, or not enabled by managed settings.
  if (!site) return;
  let policy: HookPolicy;
  try {
    policy = readPolicy(site.policy);
  } catch (error) {
    if (guarding) refuse((error as Error).message);
    else warn(`spine: ${(error as Error).message} (${FIX})`);
    return;
  }
  const { root: projectDir, launchDir } = locateRepo(site.script, started);
  if (!GUARDED_EVENTS.has(event)) {
    const session = sessionModule(host, event);
    session?.code.runSessionEvent({
      raw,
      payload,
      policy,
      projectDir,
      launchDir,
      scriptFile: host.entryFile,
      zonesFile: beside('spine-zones.json'),
      pluginCopy,
    });
    session?.save();
    return;
  }
  const { records, ctx } = eventContext({
    raw,
    payload,
    policy,
    projectDir,
    launchDir,
    zonesFile: beside('spine-zones.json'),
  });
  if (event === 'PreToolUse' && payload.tool_name === 'Bash') ensureToolchainDirs(policy, ctx.home, warn);
  const result = handleEvent(payload, policy, ctx, warn, undefined, records);
  route = routeOf(result);
  if (result.failed) refuse(result.failed);
  else if (result.stdout) say(1, `${result.stdout}\n`);
}

/** A file in the hook's own directory. */
function beside(name: string): string {
  return `${scriptFile.slice(0, scriptFile.lastIndexOf('/') + 1)}${name}`;
}

/** The project's hook reads the policy beside it; the plugin's copy, the one of the repository. */
function hookSite(env: NodeJS.ProcessEnv, started: string): HookSite | undefined {
  if (pluginCopy) return pluginSite(env, started);
  return { policy: beside('spine-policy.json'), script: scriptFile };
}

const SESSION_SCRIPT = 'spine-hook-session.cjs';

/**
 * The second file of the hook, for the events that never block. A repository onboarded before
 * the hook was split has none until `spine doctor --fix` or `spine update` writes it: the event
 * goes unrecorded with one line on stderr, and never blocks anything.
 */
function sessionModule(
  host: HookHost,
  kind: string,
):
  | {
      code: {
        runSessionEvent(input: SessionEvent): void;
        runExport(policy: HookPolicy, projectDir: string): Promise<void>;
      };
      save(): void;
    }
  | undefined {
  try {
    const loaded = host.load(beside(SESSION_SCRIPT), kind);
    return { code: loaded.exports as never, save: loaded.save };
  } catch (error) {
    warn(
      `spine: ${SESSION_SCRIPT} beside the hook could not be loaded (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); this event is not recorded (${FIX})`,
    );
    return undefined;
  }
}

/** `node spine-hook.cjs export`: the detached exporter the SessionEnd event starts. */
async function runExport(host: HookHost): Promise<void> {
  const projectDir = process.env.CLAUDE_PROJECT_DIR || process.cwd();
  const site =
    process.argv[3] === PLUGIN_ARG
      ? pluginSite(process.env, projectDir)
      : { policy: beside('spine-policy.json') };
  if (!site) return;
  const policy = readPolicy(site.policy);
  const session = sessionModule(host, 'export');
  await session?.code.runExport(policy, projectDir);
  session?.save();
}

// Claude Code kills async hooks still running when a session ends. The work here is synchronous,
// so a handled signal waits until the record is written and is then dropped: a kill can no
// longer cut a record off half-way once the hook has started.
const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const ignore = () => {};

/**
 * PreToolUse answers within its budget whatever happens: the loops an agent can make long check
 * the clock (deadline.ts), and a SIGTERM that gets to run denies and exits 2 at once instead of
 * letting the client cancel the hook and run the call. No timer: the work is synchronous, so a
 * timer could only fire once the decision is made (and the first setTimeout of a process costs
 * a quarter of a millisecond).
 */
function deadlineMs(): number {
  const set = Number(process.env.SPINE_HOOK_DEADLINE_MS);
  const budget = Number.isFinite(set) && set > 0 ? Math.min(set, 8000) : DEFAULT_DEADLINE_MS;
  return Math.max(1, budget - process.uptime() * 1000);
}

/** The event is handled: a signal from now on changes nothing. */
let handled = false;

function outOfTime(): void {
  if (!guarding || handled) return;
  refuse('the guard could not decide in time');
  process.exit(2);
}
/**
 * Handles the event the entry read (or, as `spine-hook.cjs export`, runs the exporter). Called by
 * entry.ts once it has loaded this file; returns the route the event took, for the code cache.
 */
export function hook(host: HookHost): string {
  if (process.argv[2] === 'export') {
    runExport(host).catch(() => {});
    return '';
  }
  for (const signal of SIGNALS) process.on(signal, ignore);
  process.on('SIGTERM', outOfTime);
  const budget = deadlineMs();
  startDeadline(budget);
  process.exitCode = 0;
  try {
    run(host);
  } catch (error) {
    const message = `internal error in the hook: ${(error as Error).message}`;
    if (guarding) refuse(message);
    else warn(`spine: ${message}`);
  }
  // The handlers stay: the process ends once the entry has saved the code cache, and taking them
  // off would cost more (node compiles its signal teardown) than leaving them to do nothing.
  handled = true;
  return route;
}
