import type { Spine } from '../../spine/model.js';
import { staticSecretGlobs } from './secret-globs.js';
import { toolchainGroups } from './toolchains.js';

/**
 * The policy the hook reads at every event, precomputed so the hook parses one small JSON file
 * and never YAML or schemas. Bump `policyVersion` when the shape changes.
 */
export interface HookPolicy {
  policyVersion: 1;
  spine: { name: string; version: string };
  audit: { id: string; enabled: boolean; dir: string; events: string[]; maxFieldChars: number } | null;
  /**
   * Every spine permission rule, to name the guardrail behind a decision. `evaluate`: the rule is
   * not in the settings; the guard records what it would have decided and lets the call through.
   */
  rules: { id: string; effect: 'deny' | 'ask' | 'allow'; rule: string; evaluate?: true }[];
  guard: { id: string; enabled: boolean } | null;
  /** The sandbox guardrail, when the spine turns the OS sandbox on: names its near-misses. */
  sandbox?: { id: string; toolchainDirs?: string[] } | null;
  secretPaths: { id: string; globs: string[]; evaluate?: true }[];
  allowPaths: string[];
  redact: { id: string; pattern: string }[];
  /** The spine's skills: a use of one is a shared-skill use in the session summary. */
  skills?: string[];
  /**
   * Where the hook ships spine's own records. Claude Code strips every OTEL_* variable from a
   * hook's environment (verified, 2.1.197), so the hook cannot read the client's settings env
   * and needs the endpoint here.
   */
  telemetry?: { endpoint: string; protocol: string; allowLinkLocal?: true } | null;
}

export function hookPolicy(spine: Spine, toolchains?: readonly string[]): HookPolicy {
  const rules: HookPolicy['rules'] = [];
  for (const g of spine.permissions.rules)
    for (const rule of g.rules)
      rules.push({
        id: g.id,
        effect: g.effect,
        rule,
        ...(g.mode === 'evaluate' ? { evaluate: true as const } : {}),
      });
  for (const p of spine.secrets.paths) {
    // The guard evaluates a secret path itself; its static rules would only repeat that.
    if (p.mode === 'evaluate') continue;
    for (const glob of staticSecretGlobs(p.globs, spine.secrets.allowPaths)) {
      rules.push(
        { id: p.id, effect: 'deny', rule: `Read(${glob})` },
        { id: p.id, effect: 'deny', rule: `Edit(${glob})` },
      );
    }
    for (const rule of p.bash) rules.push({ id: p.id, effect: 'deny', rule });
  }
  const audit = spine.audit;
  const sandboxOn = spine.secrets.sandbox.find((g) => g.settings.enabled === true);
  return {
    policyVersion: 1,
    spine: { name: spine.manifest.name, version: spine.manifest.version },
    audit: audit
      ? {
          id: audit.id,
          enabled: true,
          dir: audit.dir,
          events: [
            ...audit.events,
            ...(sandboxOn ? ['PostToolUseFailure'] : []),
            // A skill's shell line is a Bash call without a tool call: audited where calls are.
            ...(audit.events.includes('PreToolUse') ? ['PreSkillShellCommand'] : []),
          ],
          maxFieldChars: audit.maxFieldChars,
        }
      : null,
    rules,
    guard: spine.secrets.guard ? { id: spine.secrets.guard.id, enabled: true } : null,
    sandbox: sandboxOn
      ? {
          id: sandboxOn.id,
          // The sandbox opens a writable path only if it exists: the hook creates these first.
          ...(toolchainDirs(spine, toolchains).length
            ? { toolchainDirs: toolchainDirs(spine, toolchains) }
            : {}),
        }
      : null,
    secretPaths: spine.secrets.paths.map((p) => ({
      id: p.id,
      globs: p.globs,
      ...(p.mode === 'evaluate' ? { evaluate: true as const } : {}),
    })),
    allowPaths: spine.secrets.allowPaths,
    skills: spine.skills.map((s) => s.name),
    telemetry:
      audit?.telemetry?.enabled && audit.telemetry.endpoint
        ? {
            endpoint: audit.telemetry.endpoint,
            protocol: audit.telemetry.protocol ?? 'http/protobuf',
            ...(audit.telemetry.allowLinkLocal ? { allowLinkLocal: true as const } : {}),
          }
        : null,
    redact: [
      ...spine.secrets.tokens.map((t) => ({ id: t.id, pattern: t.pattern })),
      ...(audit?.patterns ?? []),
    ],
  };
}

function toolchainDirs(spine: Spine, toolchains: readonly string[] | undefined): string[] {
  return [...new Set(toolchainGroups(spine, toolchains).flatMap((g) => g.write))];
}
