import type { GlossaryTerm } from '../../spine/model.js';
import type { ExtractItem, Pioneer } from './model.js';

export interface TermCandidate {
  term: string;
  definition: string;
  team: string;
  file: string;
  line: number;
}

const SECTION = /^#{1,6}\s+.*\b(glossary|terms|terminology|vocabulary|definitions)\b/i;
const HEADING = /^(#{1,6})\s/;
/** `**Term** — definition`, `- **Term**: definition`, `* __Term__ - definition` */
const BOLD = /^\s*(?:[-*+]\s+)?(?:\*\*|__)([^*_`]{1,80}?)(?:\*\*|__)\s*(?:—|–|-|:)\s+(.+)$/;
/** `Term: definition` / `Term — definition` (only inside a glossary section) */
const PLAIN = /^\s*(?:[-*+]\s+)?`?([A-Za-z][\w .'/-]{0,60}?)`?\s*(?::|—|–)\s+(.+)$/;
/** `| Term | Definition |` (only inside a glossary section) */
const ROW = /^\s*\|\s*`?([^|`]{1,80}?)`?\s*\|\s*([^|]{3,}?)\s*\|/;
/** How a definition starts when it is one: `A …`, `The …`, `Means …`, `Short for …`. */
const DEFINES = /^(a|an|the|is|are|means|refers to|stands for|short for|abbreviation of|our|any)\b/i;
/** A definition list: `Term` then `: definition` */
const DD = /^:\s+(.+)$/;

/** Glossary candidates in a pioneer's memory files (CLAUDE.md, AGENTS.md, the files they import). */
export function findTerms(pioneer: Pioneer): TermCandidate[] {
  const found: TermCandidate[] = [];
  for (const file of memoryFiles(pioneer)) {
    const lines = pioneer.files.get(file)!.content.toString('utf8').split(/\r?\n/);
    let sectionDepth = 0;
    let inFence = false;
    for (const [index, line] of lines.entries()) {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      if (inFence) continue;
      const heading = HEADING.exec(line);
      if (heading) {
        const depth = heading[1]!.length;
        if (SECTION.test(line)) sectionDepth = depth;
        else if (sectionDepth && depth <= sectionDepth) sectionDepth = 0;
        continue;
      }
      const add = (term: string, definition: string, explicit = false) => {
        const t = clean(term);
        const d = clean(definition);
        // Outside a glossary section a bold label is only a term when what follows defines it.
        if (!sectionDepth && !explicit && !DEFINES.test(d)) return;
        if (isTerm(t) && isDefinition(d))
          found.push({ term: t, definition: d, team: pioneer.team, file, line: index + 1 });
      };
      const bold = BOLD.exec(line);
      if (bold) {
        add(bold[1]!, bold[2]!);
        continue;
      }
      const dd = DD.exec(line);
      if (dd && index > 0 && lines[index - 1]!.trim() && !lines[index - 1]!.includes(':')) {
        add(lines[index - 1]!, dd[1]!, true);
        continue;
      }
      if (!sectionDepth) continue;
      const row = ROW.exec(line);
      if (row && !/^[-: ]+$/.test(row[2]!) && !/^term$/i.test(row[1]!.trim())) {
        add(row[1]!, row[2]!);
        continue;
      }
      const plain = PLAIN.exec(line);
      if (plain) add(plain[1]!, plain[2]!);
    }
  }
  return found;
}

/** CLAUDE.md (a symlink already resolved to its target's bytes), AGENTS.md, .claude/CLAUDE.md; one copy of equal content. */
export function memoryFiles(pioneer: Pioneer): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const file of ['CLAUDE.md', '.claude/CLAUDE.md', 'AGENTS.md']) {
    const f = pioneer.files.get(file);
    if (!f) continue;
    const text = f.content.toString('utf8');
    if (seen.has(text) || /^\s*@[\w./-]+\s*$/.test(text)) continue;
    seen.add(text);
    out.push(file);
  }
  return out;
}

function clean(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.:;,]$/, '');
}

function isTerm(t: string): boolean {
  return (
    t.length >= 2 &&
    t.length <= 60 &&
    t.split(' ').length <= 5 &&
    /^[A-Za-z]/.test(t) &&
    !/[()<>{}=$]/.test(t)
  );
}

function isDefinition(d: string): boolean {
  return d.split(' ').length >= 4 && d.length <= 600;
}

/** Candidates across pioneers: one entry per term, in several repos = stronger, known terms merged. */
export function classifyTerms(candidates: TermCandidate[], glossary: GlossaryTerm[]): ExtractItem[] {
  const known = new Map<string, string>();
  for (const g of glossary) for (const name of [g.term, ...g.aliases]) known.set(name.toLowerCase(), g.term);
  const groups = new Map<string, TermCandidate[]>();
  for (const c of candidates)
    groups.set(c.term.toLowerCase(), [...(groups.get(c.term.toLowerCase()) ?? []), c]);
  const items: ExtractItem[] = [];
  for (const [key, group] of groups) {
    const first = group[0]!;
    const teams = new Set(group.map((c) => c.team));
    const sources = group.map((c) => ({ team: c.team, file: c.file, line: c.line }));
    const owner = known.get(key);
    if (owner) {
      items.push({
        kind: 'term',
        name: first.term,
        action: 'merged',
        reason: owner.toLowerCase() === key ? 'already a glossary term' : `already an alias of "${owner}"`,
        sources,
        stronger: teams.size > 1,
      });
      continue;
    }
    items.push({
      kind: 'term',
      name: first.term,
      action: 'take',
      reason: `glossary candidate${teams.size > 1 ? `, defined in ${teams.size} repos` : ''}: review the definition`,
      sources,
      stronger: teams.size > 1,
      path: 'glossary.yaml',
      definition: first.definition,
    });
  }
  return items;
}
