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

/**
 * Candidates across pioneers: one entry per term, in several repos = stronger. A term the spine
 * already has is merged; one the spine's words clash with (a word it says to avoid, or an alias
 * of another term) is a conflict for people to settle, never a reason to drop the rest.
 */
export function classifyTerms(candidates: TermCandidate[], glossary: GlossaryTerm[]): ExtractItem[] {
  const groups = new Map<string, TermCandidate[]>();
  for (const c of candidates)
    groups.set(c.term.toLowerCase(), [...(groups.get(c.term.toLowerCase()) ?? []), c]);
  const items: ExtractItem[] = [];
  for (const [key, group] of groups) {
    const first = group[0]!;
    const teams = new Set(group.map((c) => c.team));
    const base = {
      kind: 'term' as const,
      name: first.term,
      sources: sourcesOf(group),
      stronger: teams.size > 1,
    };
    const clash = glossaryClash(key, first.term, glossary);
    if (clash) {
      items.push({ ...base, ...clash, definition: first.definition });
      continue;
    }
    items.push({
      ...base,
      action: 'take',
      reason: `glossary candidate${teams.size > 1 ? `, defined in ${teams.size} repos` : ''}: review the definition`,
      path: 'glossary.yaml',
      definition: first.definition,
    });
  }
  return items;
}

/** How a pioneer's term meets the spine glossary: already there, or clashing with its words. */
function glossaryClash(
  key: string,
  term: string,
  glossary: GlossaryTerm[],
): Pick<ExtractItem, 'action' | 'reason'> | undefined {
  const same = glossary.find((g) => g.term.toLowerCase() === key);
  if (same) return { action: 'merged', reason: 'already a glossary term' };
  const aliasOf = glossary.find((g) => g.aliases.some((a) => a.toLowerCase() === key));
  if (aliasOf) {
    return {
      action: 'conflict',
      reason: `the spine glossary has "${term}" as an alias of "${aliasOf.term}": if the team means the same, it is "${aliasOf.term}"; if not, rename one of them in glossary.yaml`,
    };
  }
  const avoidedBy = glossary.find((g) => g.avoid.some((a) => a.toLowerCase() === key));
  if (avoidedBy) {
    return {
      action: 'conflict',
      reason: `the spine glossary says to avoid "${term}" (say "${avoidedBy.term}"): settle the word in glossary.yaml, or keep the term with the team`,
    };
  }
  return undefined;
}

function sourcesOf(group: TermCandidate[]): ExtractItem['sources'] {
  return group.map((c) => ({ team: c.team, file: c.file, line: c.line }));
}
