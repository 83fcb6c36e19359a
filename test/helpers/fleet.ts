// Team repos with known git histories and synthetic audit logs, built fast with `git fast-import`.
// Node builtins only: the report benchmark loads this file too.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FleetCommit {
  /** YYYY-MM-DD; committed at 12:00 UTC. */
  date: string;
  author: string;
  /** Carries a `Co-Authored-By: Claude` trailer. */
  agent?: boolean;
}

export interface TeamRepoSpec {
  team: string;
  champion?: string;
  commits: FleetCommit[];
  /** Spine versions over time; the first entry's date is t0. Each lands in the first commit on or after its date. */
  lock: { date: string; version: string }[];
  sharedSkills?: { name: string; contributedBy?: string }[];
  localSkills?: { name: string; description: string }[];
  /** Audit lines by day (written to .spine/audit/<day>.jsonl, not committed). */
  audit?: Record<string, object[]>;
  source?: string;
  /** Locked deny rules in the lock that the repo does not have: that many doctor errors of one guardrail. */
  lockedRulesRemoved?: number;
}

const hash = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function lockText(spec: TeamRepoSpec, version: string): string {
  const files: Record<string, { hash: string; kind: string; owner: string }> = {};
  for (const s of spec.sharedSkills ?? [])
    files[`.claude/skills/${s.name}/SKILL.md`] = {
      hash: hash(skillText(s.name, 'shared')),
      kind: 'skill',
      owner: s.name,
    };
  const lock = {
    lockVersion: 1,
    tool: '0.1.0',
    source: { spec: spec.source ?? 'embedded' },
    spine: { name: 'default-spine', version },
    files,
    settings: Array.from({ length: spec.lockedRulesRemoved ?? 0 }, (_, i) => ({
      key: `permissions.deny:Read(**/.env.v${i})`,
      id: 'secret-dotenv',
      level: 'locked',
      owner: 'spine',
      value: `Read(**/.env.v${i})`,
    })),
  };
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function skillText(name: string, description: string, contributedBy?: string): string {
  const meta = contributedBy ? `metadata:\n  contributed-by: ${contributedBy}\n` : '';
  return `---\nname: ${name}\ndescription: ${description}\n${meta}---\n\n# ${name}\n`;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** Writes one team repo at `dir` (created), its history imported in one fast-import run. */
export function createTeamRepo(dir: string, spec: TeamRepoSpec): string {
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  const commits = [...spec.commits].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const pending = [...spec.lock].sort((a, b) => (a.date < b.date ? -1 : 1));
  let stream = '';
  let first = true;
  commits.forEach((c, i) => {
    const when = Math.floor(Date.parse(`${c.date}T12:00:00Z`) / 1000);
    const who = `${c.author} <${c.author}@example.com> ${when} +0000`;
    const message = `work ${i}\n${c.agent ? '\nCo-Authored-By: Claude <noreply@anthropic.com>\n' : ''}`;
    stream += `commit refs/heads/main\nauthor ${who}\ncommitter ${who}\n${data(message)}`;
    stream += `M 100644 inline work.txt\n${data(`${i}\n`)}`;
    if (pending[0] && pending[0].date <= c.date) {
      const { version } = pending.shift()!;
      stream += `M 100644 inline .spine/lock.json\n${data(lockText(spec, version))}`;
      if (first) {
        first = false;
        stream += `M 100644 inline .spine/local.yaml\n${data(`team: ${JSON.stringify(spec.team)}\nchampion: ${JSON.stringify(spec.champion ?? `@${spec.team}-lead`)}\n`)}`;
        for (const s of spec.sharedSkills ?? [])
          stream += `M 100644 inline .claude/skills/${s.name}/SKILL.md\n${data(skillText(s.name, 'shared', s.contributedBy))}`;
        for (const s of spec.localSkills ?? [])
          stream += `M 100644 inline .claude/skills/${s.name}/SKILL.md\n${data(skillText(s.name, s.description))}`;
      }
    }
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, env });
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir, env });
  for (const [day, lines] of Object.entries(spec.audit ?? {})) {
    const file = join(dir, '.spine', 'audit', `${day}.jsonl`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  }
  return dir;
}

/** Every Monday from `from` to `to` (both Mondays), inclusive. */
export function mondays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 7 * 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** `perAuthor` commits by each of `authors` people in each week. */
export function weeklyCommits(
  weeks: string[],
  authors: number,
  perAuthor: number,
  prefix = 'dev',
): FleetCommit[] {
  return weeks.flatMap((date) =>
    Array.from({ length: authors }, (_, a) =>
      Array.from({ length: perAuthor }, () => ({ date, author: `${prefix}${a}` })),
    ).flat(),
  );
}

export interface DaySpec {
  day: string;
  sessions: number;
  toolCalls: number;
  /** rule → hits; each hit in its own session round-robin unless `sameSession` lists the rule. */
  nearMisses?: Record<string, number>;
  sameSession?: string[];
  /** Skill tool calls (counted in toolCalls). */
  skillTool?: Record<string, number>;
  /** Prompts starting with /name (not tool calls). */
  slash?: Record<string, number>;
}

/** The audit lines of one day, shaped as the hook writes them. */
export function auditDay(spec: DaySpec): object[] {
  const lines: object[] = [];
  const session = (i: number) => `${spec.day}-s${i % spec.sessions}`;
  const ts = (i: number) =>
    `${spec.day}T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`;
  for (let s = 0; s < spec.sessions; s++)
    lines.push({
      ts: ts(0),
      event: 'SessionStart',
      session_id: session(s),
      agent_id: null,
      spine_version: '1.0.0',
    });
  let n = 0;
  const call = (extra: object, s: number) =>
    lines.push({
      ts: ts(n++),
      event: 'PreToolUse',
      session_id: session(s),
      agent_id: null,
      agent_type: null,
      spine_version: '1.0.0',
      ...extra,
    });
  for (const [rule, hits] of Object.entries(spec.nearMisses ?? {}))
    for (let h = 0; h < hits; h++)
      call(
        { tool_name: 'Bash', tool_input: { command: 'cat .env # SECRET-TOKEN-123' }, decision: 'deny', rule },
        spec.sameSession?.includes(rule) ? 0 : h,
      );
  for (const [skill, uses] of Object.entries(spec.skillTool ?? {}))
    for (let u = 0; u < uses; u++)
      call({ tool_name: 'Skill', tool_input: { skill }, decision: 'allow', rule: null }, u);
  while (n < spec.toolCalls)
    call({ tool_name: 'Read', tool_input: { file_path: 'src/app.ts' }, decision: 'allow', rule: null }, n);
  for (const [skill, uses] of Object.entries(spec.slash ?? {}))
    for (let u = 0; u < uses; u++)
      lines.push({
        ts: ts(n + u),
        event: 'UserPromptSubmit',
        session_id: session(u),
        agent_id: null,
        prompt: `/${skill} please`,
        spine_version: '1.0.0',
      });
  return lines;
}
