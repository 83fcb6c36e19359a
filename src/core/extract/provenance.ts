/**
 * The provenance mark extract puts on a contributed skill, agent or command:
 * `metadata.contributed-by: <team>` in its frontmatter. Adding it is a pure text edit, so the
 * team's own copy can be compared with the spine's by marking it the same way (init adoption).
 */

const OPEN = /^---\r?\n/;
const KEY = 'contributed-by';

export function markContributed(text: string, team: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const value = /^[A-Za-z0-9_.@/-]+$/.test(team) ? team : JSON.stringify(team);
  if (!OPEN.test(text)) return `---${eol}metadata:${eol}  ${KEY}: ${value}${eol}---${eol}${text}`;
  const lines = text.split(/\r?\n/);
  const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
  if (close < 0) return text;
  const front = lines.slice(1, close);
  if (front.some((l) => new RegExp(`^\\s+${KEY}:`).test(l))) return text;
  const meta = front.findIndex((l) => /^metadata:\s*$/.test(l));
  if (meta >= 0) {
    const indent = /^(\s+)\S/.exec(front[meta + 1] ?? '')?.[1] ?? '  ';
    front.splice(meta + 1, 0, `${indent}${KEY}: ${value}`);
  } else if (front.some((l) => /^metadata:/.test(l))) {
    return text; // an inline metadata map: leave it as the team wrote it
  } else {
    front.push('metadata:', `  ${KEY}: ${value}`);
  }
  return [lines[0], ...front, ...lines.slice(close)].join(eol);
}

/** The team a spine file says it came from, if extract marked it. */
export function contributedBy(text: string): string | undefined {
  const head = text.slice(0, 4096);
  if (!OPEN.test(head)) return undefined;
  const match = new RegExp(`^\\s+${KEY}:\\s*(.+?)\\s*$`, 'm').exec(head);
  if (!match) return undefined;
  const raw = match[1]!;
  try {
    return raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  } catch {
    return raw;
  }
}

/** True when `spineText` is exactly the team's `teamText` with the provenance mark added. */
export function isMarkedCopy(spineText: string, teamText: string): boolean {
  const team = contributedBy(spineText);
  return team !== undefined && spineText !== teamText && markContributed(teamText, team) === spineText;
}
