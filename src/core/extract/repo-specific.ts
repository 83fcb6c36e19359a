import { parseRule } from '../permission-rule.js';
import type { Pioneer } from './model.js';

/**
 * Why a rule or command belongs to one repository, or undefined when it could serve every team:
 * a path only this repo has, a `./` script, an absolute path on one machine, the repo's own name.
 */
export function repoSpecific(text: string, pioneer: Pioneer): string | undefined {
  const parsed = parseRule(text);
  const body = 'error' in parsed ? text : (parsed.specifier ?? '');
  if (/(^|[\s"'(=])(\/\/|~\/|\/home\/|\/Users\/|[A-Za-z]:\\)/.test(body))
    return 'an absolute path on one machine';
  // `./x` in a path rule is just relative notation; in a command it runs the repo's own script.
  if (!isPathTool(parsed) && /(^|[\s"'(=])\.\.?\//.test(body))
    return `a repo script or path (${firstToken(body, /\.\.?\/\S*/)})`;
  const top = topLevel(pioneer);
  for (const token of body.split(/[\s"'(),;|&=]+/)) {
    const path = token.replace(/^\$CLAUDE_PROJECT_DIR\/?|^\.\/|^\/|^\*\*\//g, '');
    const first = path.split('/')[0] ?? '';
    if (!path.includes('/') && !isPathTool(parsed)) continue;
    if (first && !first.includes('*') && top.has(first)) return `a path in this repo (${path})`;
  }
  for (const name of pioneer.ownNames) {
    if (name.length < 3) continue;
    const word = new RegExp(`(^|[^A-Za-z0-9])${escapeRegExp(name)}([^A-Za-z0-9]|$)`, 'i');
    if (word.test(body)) return `names the repo's own package "${name}"`;
  }
  return undefined;
}

function isPathTool(parsed: ReturnType<typeof parseRule>): boolean {
  return (
    !('error' in parsed) && ['Read', 'Edit', 'Write', 'NotebookEdit', 'Glob', 'Grep'].includes(parsed.tool)
  );
}

const topCache = new WeakMap<Pioneer, Set<string>>();

function topLevel(pioneer: Pioneer): Set<string> {
  let top = topCache.get(pioneer);
  if (!top) {
    // Names every repo may have are not specific to one.
    top = new Set([...pioneer.tracked].map((p) => p.split('/')[0]!));
    for (const common of [
      '.github',
      '.gitignore',
      '.vscode',
      '.claude',
      'README.md',
      'LICENSE',
      'package.json',
    ])
      top.delete(common);
    topCache.set(pioneer, top);
  }
  return top;
}

function firstToken(text: string, pattern: RegExp): string {
  return pattern.exec(text)?.[0] ?? text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
