import type { Skill, Spine } from '../../spine/model.js';
import { findNearDuplicates } from '../similarity.js';
import { hashBytes } from './bytes.js';
import type { ExtractItem, ItemSource, Pioneer } from './model.js';
import { markContributed } from './provenance.js';

/** A file to write into the spine, with its mode. */
export interface SpineWrite {
  path: string;
  content: Buffer;
  mode: number;
}

/** What a skill, agent or command brings, once classified. */
export interface DocProposal {
  item: ExtractItem;
  writes: SpineWrite[];
}

export interface DocChecks {
  /** Agent Skills spec problems of a SKILL.md (errors only), as spine validate reports them. */
  skillProblems(dir: string, content: Buffer): string[];
  /** Frontmatter fields of a Markdown file (undefined when it has none or it does not parse). */
  frontmatter(content: Buffer): Record<string, unknown> | undefined;
  /** Where a file holds what looks like a secret. */
  secretIn(files: { path: string; content: Buffer }[]): string | undefined;
}

interface Candidate {
  kind: 'skill' | 'agent' | 'command';
  name: string;
  team: string;
  description: string;
  source: ItemSource;
  /** Spine path → file, before the provenance mark. */
  files: Map<string, { content: Buffer; mode: number }>;
  /** The file that carries frontmatter (SKILL.md, the agent or command file). */
  main: string;
  problem?: string;
}

/** Skills, subagents and commands of every pioneer: taken verbatim (marked), merged, or in conflict. */
export function classifyDocs(pioneers: Pioneer[], spine: Spine, checks: DocChecks): DocProposal[] {
  const candidates = pioneers.flatMap((p) => [
    ...skillsOf(p, checks),
    ...agentsOf(p, checks),
    ...commandsOf(p),
  ]);
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = `${c.kind}:${c.name}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const proposals: DocProposal[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const sources = group.map((c) => c.source);
    const teams = new Set(group.map((c) => c.team));
    const base: ExtractItem = {
      kind: first.kind,
      name: first.name,
      action: 'take',
      reason: '',
      sources,
      stronger: teams.size > 1,
    };
    const local = group.find((c) => c.problem);
    if (local) {
      proposals.push({ item: { ...base, action: 'local', reason: local.problem! }, writes: [] });
      continue;
    }
    if (new Set(group.map(fingerprint)).size > 1) {
      proposals.push({
        item: {
          ...base,
          action: 'conflict',
          reason: `${teams.size} repos have different ${first.kind}s named "${first.name}"`,
        },
        writes: [],
      });
      continue;
    }
    const existing = spineDoc(spine, first);
    if (existing) {
      const same =
        existing.size === first.files.size &&
        [...first.files].every(([p, f]) => sameBytes(existing.get(p), f.content, first, p));
      proposals.push({
        item: same
          ? { ...base, action: 'merged', reason: 'already in the spine, identical' }
          : {
              ...base,
              action: 'conflict',
              reason: `the spine has a different ${first.kind} named "${first.name}"; rename one`,
            },
        writes: [],
      });
      continue;
    }
    const contributors = [...teams].join(', ');
    const writes = [...first.files].map(([path, f]) => ({
      path,
      mode: f.mode,
      content:
        path === first.main
          ? Buffer.from(markContributed(f.content.toString('utf8'), contributors))
          : f.content,
    }));
    const similarTo =
      first.kind === 'skill'
        ? findNearDuplicates({ name: first.name, description: first.description }, spine.skills).map((d) => ({
            name: d.name,
            reason: d.reason,
            score: d.score,
          }))
        : [];
    const why = teams.size > 1 ? `in ${teams.size} repos, identical` : `from ${contributors}`;
    proposals.push({
      item: {
        ...base,
        reason: similarTo.length
          ? `${why}; near-duplicate of the spine's ${similarTo.map((s) => `"${s.name}"`).join(', ')}: review before merging`
          : why,
        path: first.main,
        similarTo: similarTo.length ? similarTo : undefined,
      },
      writes,
    });
  }
  return proposals;
}

function sameBytes(spineFile: Buffer | undefined, content: Buffer, c: Candidate, path: string): boolean {
  if (!spineFile) return false;
  if (spineFile.equals(content)) return true;
  return path === c.main && spineFile.toString('utf8') === markContributed(content.toString('utf8'), c.team);
}

function fingerprint(c: Candidate): string {
  return [...c.files]
    .map(([p, f]) => `${p}:${f.mode}:${hashBytes(f.content)}`)
    .sort()
    .join('|');
}

function spineDoc(spine: Spine, c: Candidate): Map<string, Buffer> | undefined {
  if (c.kind === 'skill') {
    const s: Skill | undefined = spine.skills.find((k) => k.name === c.name);
    return s && new Map(s.files.map((f) => [f.path, f.content]));
  }
  const docs = c.kind === 'agent' ? spine.agents : spine.commands;
  const d = docs.find((x) => x.name === c.name || x.file.path === c.main);
  return d && new Map([[d.file.path, d.file.content]]);
}

function skillsOf(p: Pioneer, checks: DocChecks): Candidate[] {
  const dirs = new Map<string, Map<string, { content: Buffer; mode: number }>>();
  for (const [path, file] of p.files) {
    const m = /^\.claude\/skills\/([^/]+)\/(.+)$/.exec(path);
    if (!m) continue;
    const files = dirs.get(m[1]!) ?? new Map();
    files.set(`skills/${m[1]}/${m[2]}`, file);
    dirs.set(m[1]!, files);
  }
  const out: Candidate[] = [];
  for (const [dir, files] of dirs) {
    const main = `skills/${dir}/SKILL.md`;
    const skill = files.get(main);
    const source = { team: p.team, file: `.claude/skills/${dir}/SKILL.md`, line: 1 };
    const fm = skill && checks.frontmatter(skill.content);
    const c: Candidate = {
      kind: 'skill',
      name: dir,
      team: p.team,
      description: String(fm?.description ?? ''),
      source,
      files,
      main,
    };
    if (!skill) c.problem = 'no SKILL.md directly in the folder: Claude Code does not load it';
    else {
      const problems = checks.skillProblems(dir, skill.content);
      if (problems.length) c.problem = `fails the Agent Skills format the spine enforces: ${problems[0]}`;
    }
    const secret = checks.secretIn([...files].map(([path, f]) => ({ path, content: f.content })));
    if (!c.problem && secret) c.problem = `holds what looks like a secret (${secret}); never shared`;
    out.push(c);
  }
  return out;
}

function agentsOf(p: Pioneer, checks: DocChecks): Candidate[] {
  const out: Candidate[] = [];
  for (const [path, file] of p.files) {
    const m = /^\.claude\/agents\/(.+\.md)$/.exec(path);
    if (!m) continue;
    const fm = checks.frontmatter(file.content);
    const name = typeof fm?.name === 'string' ? fm.name : m[1]!.replace(/\.md$/, '');
    const c: Candidate = {
      kind: 'agent',
      name,
      team: p.team,
      description: String(fm?.description ?? ''),
      source: { team: p.team, file: path, line: 1 },
      files: new Map([[`agents/${m[1]!.split('/').pop()}`, file]]),
      main: `agents/${m[1]!.split('/').pop()}`,
    };
    if (m[1]!.includes('/')) c.problem = 'in a sub-folder of .claude/agents/; the spine keeps agents flat';
    else if (typeof fm?.name !== 'string' || typeof fm?.description !== 'string')
      c.problem = 'no name or description in its frontmatter: Claude Code skips it';
    else if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(fm.name))
      c.problem = `agent name "${fm.name}" is not letters, digits, ".", "_" or "-"`;
    const secret = checks.secretIn([{ path, content: file.content }]);
    if (!c.problem && secret) c.problem = `holds what looks like a secret (${secret}); never shared`;
    out.push(c);
  }
  return out;
}

function commandsOf(p: Pioneer): Candidate[] {
  const out: Candidate[] = [];
  for (const [path, file] of p.files) {
    const m = /^\.claude\/commands\/(.+)\.md$/.exec(path);
    if (!m) continue;
    const c: Candidate = {
      kind: 'command',
      name: m[1]!,
      team: p.team,
      description: '',
      source: { team: p.team, file: path, line: 1 },
      files: new Map([[`commands/${m[1]}.md`, file]]),
      main: `commands/${m[1]}.md`,
    };
    if (!m[1]!.split('/').every((seg) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(seg)))
      c.problem = 'name is not letters, digits, ".", "_" or "-"';
    out.push(c);
  }
  return out;
}
