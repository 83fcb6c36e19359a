import { readFileSync } from 'node:fs';

/**
 * The shell blocks a document marks as tested: a `<!-- doc-test: <dir> -->` line right before a
 * ```sh fence. `<dir>` is where the block runs, relative to the walkthrough's working directory.
 */
export interface DocBlock {
  /** `README.md:117` — where the marker is, for failure messages. */
  at: string;
  dir: string;
  /** The block's lines as written, each with its line number in the document. */
  lines: { n: number; text: string }[];
}

const MARKER = /^<!--\s*doc-test:\s*(\S+)\s*-->\s*$/;

export function docBlocks(file: string, shown: string): DocBlock[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!);
    if (!marker) continue;
    if (lines[i + 1] !== '```sh')
      throw new Error(`${shown}:${i + 1}: a doc-test marker must precede a \`\`\`sh block`);
    const block: DocBlock = { at: `${shown}:${i + 1}`, dir: marker[1]!, lines: [] };
    for (i += 2; i < lines.length && lines[i] !== '```'; i++) block.lines.push({ n: i + 1, text: lines[i]! });
    blocks.push(block);
  }
  return blocks;
}

/**
 * The block as a bash script that stops at the first line that fails — also inside `a && b`,
 * which `set -e` lets through — and names that line. A line's trailing comment stays harmless
 * because the line is closed by a newline before the check.
 */
export function blockScript(block: DocBlock, shown: string): string {
  const out = ['set -o pipefail'];
  let pending: { n: number; text: string } | undefined;
  for (const line of block.lines) {
    const text = pending ? `${pending.text}\n${line.text}` : line.text;
    const n = pending?.n ?? line.n;
    if (/\\$/.test(line.text)) {
      pending = { n, text };
      continue;
    }
    pending = undefined;
    if (!text.trim() || /^\s*#/.test(text)) continue;
    out.push(`{ ${text}\n} || { rc=$?; echo "doc-test: ${shown}:${n} failed (exit $rc)" >&2; exit $rc; }`);
  }
  return `${out.join('\n')}\n`;
}
