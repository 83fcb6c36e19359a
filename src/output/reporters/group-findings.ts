import type { Finding } from '../../core/findings.js';

/** One line of doctor's human output: a finding, or one guardrail's findings of the same kind. */
export interface FindingGroup {
  first: Finding;
  /** What each finding is about ("deny rule "Read(./.env)""), when several are grouped. */
  covers: string[];
  /** The message for the group as a whole. */
  message: string;
}

/**
 * A guardrail compiles to many rules, so one removed guardrail is many findings of one code,
 * path and guardrail with the same complaint. People read it as one finding listing the rules
 * it covers; --json and SARIF keep one finding per rule.
 */
export function groupByGuardrail(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, { findings: Finding[]; subjects: string[]; rest: string }>();
  const out: (FindingGroup | string)[] = [];
  for (const f of findings) {
    const split = f.guardrail ? splitMessage(f.message, f.guardrail) : undefined;
    if (!split) {
      out.push({ first: f, covers: [], message: f.message });
      continue;
    }
    const key = `${f.severity}\t${f.code}\t${f.path}\t${f.guardrail}\t${split.rest}`;
    const g = groups.get(key);
    if (g) {
      g.findings.push(f);
      g.subjects.push(split.subject);
    } else {
      groups.set(key, { findings: [f], subjects: [split.subject], rest: split.rest });
      out.push(key);
    }
  }
  return out.map((item) => {
    if (typeof item !== 'string') return item;
    const g = groups.get(item)!;
    const first = g.findings[0]!;
    if (g.findings.length === 1) return { first, covers: [], message: first.message };
    return {
      first,
      covers: g.subjects,
      message: `guardrail ${first.guardrail}: ${g.findings.length} of its entries ${g.rest.replace(/^is /, 'are ')}`,
    };
  });
}

/** "locked deny rule "X" (id) is missing …" → subject "deny rule "X"", rest "is missing …". */
function splitMessage(message: string, guardrail: string): { subject: string; rest: string } | undefined {
  const marker = ` (${guardrail}) `;
  const at = message.indexOf(marker);
  if (at < 0) return undefined;
  return { subject: message.slice(0, at).replace(/^locked /, ''), rest: message.slice(at + marker.length) };
}
