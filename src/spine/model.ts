/** The spine as spine reads it: every guardrail with its id, level and reason. */

export type Level = 'locked' | 'default';
export type Effect = 'deny' | 'ask' | 'allow';
/**
 * enforce: the guardrail is written into every team's settings. evaluate: nothing is written;
 * the guard records what it would have refused and lets the call through (docs/evaluate.md).
 */
export type GuardrailMode = 'enforce' | 'evaluate';

export const AUDIT_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'SessionEnd',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface Manifest {
  apiVersion: 'spine/v1';
  name: string;
  version: string;
  description?: string;
  owners: string[];
  targets: string[];
  upstream?: { forge: 'github'; repo: string } | { forge: 'gitlab'; project: string };
  policy: { waivers: { requireApprover: boolean; maxDays?: number } };
  renames: { from: string; to: string }[];
  /** Where team CI installs the CLI from (spine.yaml `tool`). */
  tool?: { package?: string; registry?: string; updateRequests?: boolean };
}

/** A permission guardrail: one id, one or more Claude Code rules with the same effect. */
export interface RuleGuardrail {
  id: string;
  effect: Effect;
  rules: string[];
  level: Level;
  /** Absent means enforce. */
  mode?: GuardrailMode;
  why: string;
  file: string;
}

export interface NeverAllow {
  id: string;
  pattern: string;
  why: string;
}

export interface SecretPath {
  id: string;
  globs: string[];
  bash: string[];
  level: Level;
  /** Absent means enforce. */
  mode?: GuardrailMode;
  why: string;
}

export interface TokenPattern {
  id: string;
  pattern: string;
  why: string;
}

/** Secret environment variables, hidden from sandboxed commands. */
export interface SecretEnvVars {
  id: string;
  names: string[];
  level: Level;
  why: string;
}

/**
 * Credentials masked rather than hidden (`sandbox.credentials` mode `mask`), carried by managed
 * settings only: no client masks from a project file (docs/clients.md).
 */
export interface MaskedCredential {
  id: string;
  envVars: string[];
  files: string[];
  injectHosts: string[];
  allowPlaintextInject: boolean;
  plaintextWhy?: string;
  level: Level;
  why: string;
}

/** Switches of Claude Code's OS sandbox (`sandbox.*`), as the spine sets them. */
export interface SandboxSettings {
  enabled?: boolean;
  allowUnsandboxedCommands?: boolean;
  failIfUnavailable?: boolean;
  autoAllowBashIfSandboxed?: boolean;
  excludedCommands?: string[];
  allowWrite?: string[];
  /** Read-only for sandboxed commands (wins over allowWrite): spine's own state, the settings. */
  denyWrite?: string[];
  allowRead?: string[];
}

export interface SandboxGuardrail {
  id: string;
  settings: SandboxSettings;
  level: Level;
  why: string;
}

/** Egress for sandboxed commands: domains allowed or denied by the client's proxy. */
export interface DomainGuardrail {
  id: string;
  domains: string[];
  level: Level;
  why: string;
}

export interface NetworkPolicy {
  allowed: DomainGuardrail[];
  denied: DomainGuardrail[];
  /** Managed settings only: no domains but the spine's (`allowManagedDomainsOnly`). */
  managedDomainsOnly?: SimpleGuardrail;
  /**
   * Managed settings only: hosts outside the allowed domains refused without a prompt
   * (`strictAllowlist`; project settings' copy is ignored by the client, docs/sandbox.md).
   */
  strictAllowlist?: SimpleGuardrail;
}

/**
 * What one ecosystem's tools need inside the OS sandbox: cache directories to write and registries
 * to reach. Enabled per repo by the manifests init finds (or everywhere, `always`).
 */
export interface ToolchainGroup {
  id: string;
  manifests: string[];
  always: boolean;
  /** `~/…` directories, in the sandbox's path syntax. */
  write: string[];
  domains: string[];
  level: Level;
  why: string;
}

export interface SimpleGuardrail {
  id: string;
  level: Level;
  why: string;
}

export interface Telemetry {
  enabled: boolean;
  endpoint?: string;
  /** The endpoint may be a link-local or metadata address: the spine says so explicitly. */
  allowLinkLocal: boolean;
  protocol?: 'grpc' | 'http/json' | 'http/protobuf';
  metrics: boolean;
  logs: boolean;
  logToolDetails: boolean;
  resourceAttributes: Record<string, string>;
}

export interface AuditPolicy extends SimpleGuardrail {
  events: AuditEvent[];
  dir: string;
  maxFieldChars: number;
  patterns: { id: string; pattern: string }[];
  telemetry?: Telemetry;
}

export interface GlossaryTerm {
  term: string;
  definition: string;
  aliases: string[];
  avoid: string[];
  see: string[];
}

/** A file carried verbatim from the spine into the team repo. */
export interface SpineFile {
  /** Path inside the spine, POSIX separators. */
  path: string;
  content: Buffer;
  /** Set when the file is executable in the spine (a skill's script): it is written 0o755. */
  executable?: true;
}

export interface Skill {
  name: string;
  description: string;
  files: SpineFile[];
}

export interface NamedDoc {
  /** Agent type (frontmatter name) or command name (path without .md, `/` for namespaces). */
  name: string;
  description?: string;
  file: SpineFile;
}

export interface Champions {
  reviewers: string[];
  teams: { team: string; champions: string[] }[];
}

export interface Spine {
  manifest: Manifest;
  permissions: {
    bypassMode?: SimpleGuardrail;
    rules: RuleGuardrail[];
    neverAllow: NeverAllow[];
  };
  secrets: {
    paths: SecretPath[];
    allowPaths: string[];
    tokens: TokenPattern[];
    envVars: SecretEnvVars[];
    credentials: MaskedCredential[];
    sandbox: SandboxGuardrail[];
    guard?: SimpleGuardrail;
  };
  network: NetworkPolicy;
  /** Toolchain groups (guardrails/toolchains.yaml); a repo enables some of them. */
  toolchains: ToolchainGroup[];
  audit?: AuditPolicy;
  skills: Skill[];
  agents: NamedDoc[];
  commands: NamedDoc[];
  glossary: GlossaryTerm[];
  champions: Champions;
  changelog?: string;
}
