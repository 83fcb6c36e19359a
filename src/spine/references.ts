import { posix } from 'node:path';
import { type Problem, problem } from '../core/problems.js';
import { displayPath, type SpineTree } from './tree.js';

const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|#|\/|~)/i;
const FENCE = /^\s*(```|~~~)/;

/**
 * Relative Markdown links in skills, agents and commands must name a file the spine ships:
 * a SKILL.md that points at a missing checklist sends the agent looking for nothing.
 */
export function checkReferences(tree: SpineTree): Problem[] {
  const problems: Problem[] = [];
  const dirs = new Set<string>();
  for (const path of tree.files.keys()) {
    for (let d = posix.dirname(path); d !== '.'; d = posix.dirname(d)) dirs.add(d);
  }
  for (const [path, content] of tree.files) {
    if (!/^(skills|agents|commands)\//.test(path) || !path.endsWith('.md')) continue;
    let inFence = false;
    content
      .toString('utf8')
      .split('\n')
      .forEach((line, index) => {
        if (FENCE.test(line)) inFence = !inFence;
        if (inFence) return;
        const text = line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
        for (const match of text.matchAll(LINK)) {
          const raw = match[1]!;
          if (EXTERNAL.test(raw)) continue;
          const target = safeDecode(raw.replace(/[#?].*$/, ''));
          if (!target) continue;
          const resolved = posix.normalize(posix.join(posix.dirname(path), target));
          if (tree.files.has(resolved) || dirs.has(resolved.replace(/\/$/, ''))) continue;
          problems.push(
            problem('missing-reference', `links to "${raw}", which is not in the spine`, {
              file: displayPath(tree, path),
              line: index + 1,
              column: match.index! + match[0].indexOf(raw) + 1,
            }),
          );
        }
      });
  }
  return problems;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
