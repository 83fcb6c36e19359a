/** What spine extract reads from a pioneer repo and what it proposes for the spine. */

export interface PioneerFile {
  content: Buffer;
  /** 0o755 for executables, else 0o644. */
  mode: number;
}

/** One pioneer team repo, read (symlinks inside the repo followed). Paths are POSIX, repo-relative. */
export interface Pioneer {
  /** As the user named it: a path or a git source. */
  source: string;
  /** The team name: --team, else the repository's directory name. */
  team: string;
  /** The Claude Code files: .claude/**, CLAUDE.md, AGENTS.md, .mcp.json. */
  files: Map<string, PioneerFile>;
  /** Every path git tracks in the repository (to tell repo-specific paths from general ones). */
  tracked: Set<string>;
  /** The repository's own package names (package.json, Cargo.toml, pyproject.toml) and its directory name. */
  ownNames: string[];
  commit?: string;
  /** Parsed settings: .claude/settings.json, then .claude/settings.local.json (personal). */
  settings: PioneerSettings[];
}

export interface PioneerSettings {
  file: string;
  personal: boolean;
  value: Record<string, unknown>;
  /** 1-based line of the JSON node at a path. */
  line(path: (string | number)[]): number;
}

export type ItemKind =
  | 'guardrail'
  | 'skill'
  | 'agent'
  | 'command'
  | 'term'
  | 'hook'
  | 'mcp'
  | 'setting'
  | 'memory';

/**
 * take: proposed for the spine · merged: the spine already has it (or something covering it) ·
 * local: stays with the team · conflict: clashes with the spine or between pioneers ·
 * declined: left out in --interactive.
 */
export type ItemAction = 'take' | 'merged' | 'local' | 'conflict' | 'declined';

export interface ItemSource {
  team: string;
  file: string;
  line?: number;
}

export interface ExtractItem {
  kind: ItemKind;
  /** Guardrail id, skill/agent/command name, term, hook event, setting key. */
  name: string;
  action: ItemAction;
  /** Why it was classified so, for people. */
  reason: string;
  sources: ItemSource[];
  /** Present in more than one pioneer: a stronger candidate. */
  stronger: boolean;
  /** For rules: the rule and its list. */
  rule?: { effect: 'deny' | 'ask' | 'allow'; rule: string };
  /** For glossary terms: the definition found. */
  definition?: string;
  /** Where it lands in the spine, for taken items. */
  path?: string;
  /** Near-duplicates of existing spine skills, by the similarity contribute uses. */
  similarTo?: { name: string; reason: string; score: number }[];
}
