import type { Spine } from '../../spine/model.js';
import { formatResourceAttributes } from '../telemetry/otlp.js';
import { HOOK_SCRIPT, type HookGroup, LEGACY_HOOK_SCRIPT, type SettingsEntry } from './desired-state.js';
import { sandboxEntries, sandboxGuardrail } from './sandbox-entries.js';
import { staticSecretGlobs } from './secret-globs.js';

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PreSkillShellCommand']);

/**
 * Events the guard decides, failing closed. PreSkillShellCommand (client 2.1.332) is a skill's
 * `!` shell line about to run; 2.1.197 ignores the key and keeps the rest of the file (verified).
 */
export const GUARD_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PreSkillShellCommand']);

/**
 * Audited events spine reads from the transcript rather than running a hook for: the client
 * writes each finished call, prompt and subagent there anyway, and every hook process costs the
 * session a node start (docs/hooks.md).
 */
export const TRANSCRIPT_EVENTS: ReadonlySet<string> = new Set([
  'PostToolUse',
  'PostToolUseFailure',
  'UserPromptSubmit',
  'SubagentStart',
  'SubagentStop',
]);

/**
 * How the hook is started. Where NODE_EXTRA_CA_CERTS is set (corporate machines), every node
 * process reads that CA bundle before it runs a line — more than the hook's whole decision —
 * and only the exporter's TLS connection to a collector uses it. So the hook runs without it
 * and gets the value as SPINE_NODE_EXTRA_CA_CERTS, which it sets again for the detached exporter
 * it starts (src/hooks/export-otlp.ts). The value is taken before the variable is emptied: bash
 * expands a command's assignments from left to right.
 */
export const HOOK_RUN = `SPINE_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= node "$CLAUDE_PROJECT_DIR/${HOOK_SCRIPT}"`;

/** How the hook was started before the CA hand-over, with the script of that release. */
const plainRun = (script: string) => `node "$CLAUDE_PROJECT_DIR/${script}"`;

/** Today's command line with the ES module script of earlier releases. */
const handOverRun = (script: string) =>
  `SPINE_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= node "$CLAUDE_PROJECT_DIR/${script}"`;

/**
 * The hook command. PreToolUse fails closed: if Node.js is missing or the script cannot run,
 * exit 2 blocks the call with a reason, instead of the client's silent non-blocking error.
 * Other events only record, so a failure there must never block or loop (exit 2 on Stop
 * would force the agent to continue).
 */
export function hookCommand(event: string, run = HOOK_RUN): string {
  if (!GUARD_EVENTS.has(event)) return run;
  const missing =
    'echo "spine: the audit and secret guard hook needs Node.js >= 20 on PATH; install it (https://nodejs.org) to use Claude Code in this repository" >&2; exit 2';
  return `command -v node >/dev/null 2>&1 || { ${missing}; }; ${run} || exit 2`;
}

/**
 * Events whose hook must finish before the agent goes on. PreToolUse decides, so it blocks.
 * Stop and SessionEnd block because they close the session: the client kills async hooks still
 * running when a session ends, and Stop waits for this session's async writers (docs/hooks.md).
 * Every other event only records, off the agent's path (`async: true`).
 */
export const BLOCKING_EVENTS: ReadonlySet<string> = new Set([
  'PreToolUse',
  'PreSkillShellCommand',
  'Stop',
  'SessionEnd',
]);

export function hookGroup(event: string): HookGroup {
  return {
    ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}),
    hooks: [
      {
        type: 'command',
        command: hookCommand(event),
        timeout: 10,
        ...(BLOCKING_EVENTS.has(event) ? {} : { async: true }),
      },
    ],
  };
}

/** Why an earlier release's hook group is outdated, the most costly reason first. */
export type LegacyHookReason = 'waits' | 'ca-bundle' | 'es-module';

/**
 * What earlier spine releases rendered for an event, other than today's group: every hook
 * synchronous (`waits`: before the async wiring), the command line before the CA hand-over
 * (`ca-bundle`), and the hook shipped as an ES module (`es-module`: spine-hook.mjs). Doctor names
 * these as outdated rather than edited, and `doctor --fix` / `update` replace them.
 */
export function legacyHookGroups(event: string): { group: HookGroup; reason: LegacyHookReason }[] {
  const group = (run: string, async: boolean): HookGroup => ({
    ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}),
    hooks: [
      { type: 'command', command: hookCommand(event, run), timeout: 10, ...(async ? { async: true } : {}) },
    ],
  });
  const blocking = BLOCKING_EVENTS.has(event);
  return [HOOK_SCRIPT, LEGACY_HOOK_SCRIPT].flatMap((script) => [
    ...(blocking
      ? [{ group: group(plainRun(script), false), reason: 'ca-bundle' as const }]
      : [
          { group: group(plainRun(script), false), reason: 'waits' as const },
          { group: group(handOverRun(script), false), reason: 'waits' as const },
          { group: group(plainRun(script), true), reason: 'ca-bundle' as const },
        ]),
    ...(script === LEGACY_HOOK_SCRIPT
      ? [{ group: group(handOverRun(script), !blocking), reason: 'es-module' as const }]
      : []),
  ]);
}

/** Why a hook group is one an earlier release rendered for this event, or undefined if it is not. */
export function legacyHookReason(event: string, value: unknown): LegacyHookReason | undefined {
  const text = canonicalJson(value);
  return legacyHookGroups(event).find((l) => canonicalJson(l.group) === text)?.reason;
}

/** JSON with sorted keys: a lock or settings file may list a group's keys in any order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function ruleKey(list: string, rule: string): string {
  return `permissions.${list}:${rule}`;
}

/** Every settings entry the spine owns, each with the id of the guardrail it serves. */
export function settingsEntries(
  spine: Spine,
  team: string,
  attribution: { champion?: string; repo?: string } = {},
  toolchains?: readonly string[],
): SettingsEntry[] {
  const entries: SettingsEntry[] = [];
  const bypass = spine.permissions.bypassMode;
  if (bypass) {
    entries.push({
      kind: 'setting',
      key: 'permissions.disableBypassPermissionsMode',
      id: bypass.id,
      level: bypass.level,
      path: ['permissions', 'disableBypassPermissionsMode'],
      value: 'disable',
    });
  }
  // An evaluated guardrail is observed by the guard, not written: docs/evaluate.md.
  for (const g of spine.permissions.rules) {
    if (g.mode === 'evaluate') continue;
    for (const rule of g.rules) {
      entries.push({
        kind: 'rule',
        key: ruleKey(g.effect, rule),
        id: g.id,
        level: g.level,
        list: g.effect,
        value: rule,
      });
    }
  }
  for (const p of spine.secrets.paths) {
    if (p.mode === 'evaluate') continue;
    const globs = staticSecretGlobs(p.globs, spine.secrets.allowPaths);
    const rules = [...globs.flatMap((glob) => [`Read(${glob})`, `Edit(${glob})`]), ...p.bash];
    for (const rule of rules) {
      entries.push({
        kind: 'rule',
        key: ruleKey('deny', rule),
        id: p.id,
        level: p.level,
        list: 'deny',
        value: rule,
      });
    }
  }
  entries.push(...sandboxEntries(spine, toolchains));
  const audit = spine.audit;
  const guard = spine.secrets.guard;
  if (audit || guard) {
    const events = new Set<string>(audit?.events ?? []);
    if (guard) for (const e of GUARD_EVENTS) events.add(e);
    // Finished calls, prompts and subagents are recorded from the transcript at the end of each
    // turn and session, not by a hook process per event (docs/hooks.md): those events carry them.
    // A sandbox refusal is found there too.
    const fromTranscript =
      audit && ([...events].some((e) => TRANSCRIPT_EVENTS.has(e)) || sandboxGuardrail(spine));
    for (const e of TRANSCRIPT_EVENTS) events.delete(e);
    if (fromTranscript) for (const e of ['SessionStart', 'Stop', 'SessionEnd']) events.add(e);
    for (const event of events) {
      // The hook carries both audit and guard; it is as strict as the stricter of the two.
      const owner = GUARD_EVENTS.has(event) && guard ? guard : audit!;
      const level =
        audit?.level === 'locked' || (GUARD_EVENTS.has(event) && guard?.level === 'locked')
          ? 'locked'
          : 'default';
      entries.push({
        kind: 'hook',
        key: `hooks.${event}:spine`,
        id: owner.id,
        level,
        event,
        value: hookGroup(event),
      });
    }
  }
  const telemetry = audit?.telemetry;
  if (audit && telemetry?.enabled) {
    for (const [name, value] of Object.entries(telemetryEnv(telemetry, spine, team, attribution))) {
      entries.push({ kind: 'env', key: `env:${name}`, id: audit.id, level: audit.level, name, value });
    }
  }
  return entries;
}

function telemetryEnv(
  t: NonNullable<NonNullable<Spine['audit']>['telemetry']>,
  spine: Spine,
  team: string,
  attribution: { champion?: string; repo?: string },
): Record<string, string> {
  const env: Record<string, string> = { CLAUDE_CODE_ENABLE_TELEMETRY: '1' };
  if (t.metrics) env.OTEL_METRICS_EXPORTER = 'otlp';
  if (t.logs) env.OTEL_LOGS_EXPORTER = 'otlp';
  if (t.protocol) env.OTEL_EXPORTER_OTLP_PROTOCOL = t.protocol;
  if (t.endpoint) env.OTEL_EXPORTER_OTLP_ENDPOINT = t.endpoint;
  if (t.logToolDetails) env.OTEL_LOG_TOOL_DETAILS = '1';
  // Every record, Claude Code's and spine's own, names its team, repo and spine version, so the
  // org's backend and spine report can attribute it. The spine's own attributes come first; the
  // spine's fixed ones cannot be overridden by its resourceAttributes.
  const attributes: Record<string, string> = {
    ...t.resourceAttributes,
    'spine.team': team,
    ...(attribution.repo ? { 'spine.repo': attribution.repo } : {}),
    'spine.name': spine.manifest.name,
    'spine.version': spine.manifest.version,
    ...(attribution.champion ? { 'spine.champion': attribution.champion } : {}),
  };
  env.OTEL_RESOURCE_ATTRIBUTES = formatResourceAttributes(attributes);
  return env;
}
