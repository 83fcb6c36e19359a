import { tick } from './deadline.js';
import { compilePathGlob, type PathRoots } from './path-glob.js';
import { parseShell } from './shell-words.js';
import { WHITESPACE, wildcardMatch } from './wildcard.js';

/** One tool call as permission rules see it. */
export interface ToolCall {
  tool: string;
  input: Record<string, unknown>;
}

/** Tools that a `Read(path)` rule covers, and those an `Edit(path)` rule covers, with the path field. */
const READ_TOOLS: Record<string, string> = {
  Read: 'file_path',
  Grep: 'path',
  Glob: 'path',
  LS: 'path',
  NotebookRead: 'notebook_path',
};
const EDIT_TOOLS: Record<string, string> = {
  Edit: 'file_path',
  Write: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/**
 * Does a Claude Code permission rule match a call? Mirrors the client's documented matching:
 * `Bash(prefix:*)` with a word boundary, `*` globs, compound commands tested part by part;
 * Read/Edit path rules gitignore-style and case-insensitive; `Task` is `Agent`.
 */
export function ruleMatches(rule: string, call: ToolCall, roots: PathRoots & { cwd: string }): boolean {
  const open = rule.indexOf('(');
  const ruleTool = canonical(open < 0 ? rule : rule.slice(0, open));
  const spec = open < 0 || !rule.endsWith(')') ? undefined : rule.slice(open + 1, -1);
  const tool = canonical(call.tool);
  if (spec === undefined || spec === '*' || spec === '**') {
    if (ruleTool.startsWith('mcp__') && !ruleTool.slice(5).includes('__')) {
      return tool.startsWith(`${ruleTool}__`) || tool === ruleTool;
    }
    return tool === ruleTool;
  }
  switch (ruleTool) {
    case 'Bash':
      return tool === 'Bash' && bashMatches(spec, stringField(call.input, 'command'));
    case 'Read':
      return pathMatches(spec, READ_TOOLS[tool], call.input, roots);
    case 'Edit':
      return pathMatches(spec, EDIT_TOOLS[tool], call.input, roots);
    case 'Agent':
      return tool === 'Agent' && stringField(call.input, 'subagent_type') === spec;
    case 'Skill':
      return tool === 'Skill' && stringField(call.input, 'skill', 'command').replace(/^\//, '') === spec;
    case 'WebFetch':
      return tool === 'WebFetch' && domainMatches(spec, stringField(call.input, 'url'));
    default:
      // Write(path) and unknown specifiers: Claude Code ignores them, so do we.
      return false;
  }
}

function canonical(tool: string): string {
  return tool === 'Task' ? 'Agent' : tool;
}

function stringField(input: Record<string, unknown>, ...names: string[]): string {
  for (const name of names) if (typeof input[name] === 'string') return input[name] as string;
  return '';
}

/** A command matches when it does as a whole, or when any part of it (split on && ; | ||) does. */
export function bashMatches(spec: string, command: string): boolean {
  // Every part tested is a piece of the command as written, and a match starts with the spec's
  // text before its first `*`: a command without that text matches no part (most rules, most calls).
  const head = spec.endsWith(':*') || spec.endsWith(' *') ? spec.slice(0, -2) : spec;
  const star = head.indexOf('*');
  if (!command.includes(star === -1 ? head : head.slice(0, star))) return false;
  const test = bashSpecMatcher(spec);
  const whole = command.trim();
  if (test(whole)) return true;
  for (const part of parseShell(whole).segments) {
    tick();
    if (test(part) || test(stripAssignments(part))) return true;
  }
  return false;
}

/** A Bash rule's spec as a wildcard matcher: linear in the command, whatever the spec holds. */
function bashSpecMatcher(spec: string): (text: string) => boolean {
  const exact = { caseless: false, question: false };
  // `git push:*` and `ls *`: the prefix alone or followed by whitespace and anything (the client's
  // word boundary); a bare `ls` matches `ls *` too.
  if (spec.endsWith(':*') || spec.endsWith(' *')) {
    const head = spec.slice(0, -2);
    return (text) => wildcardMatch(head, text, exact) || wildcardMatch(`${head}${WHITESPACE}*`, text, exact);
  }
  return (text) => wildcardMatch(spec, text, exact);
}

/** `FOO=1 BAR=2 git push` is `git push` to the rules. */
function stripAssignments(part: string): string {
  // Most parts assign nothing: no need to compile the expression for them.
  if (!part.includes('=')) return part;
  return part.replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)+/, '');
}

function pathMatches(
  spec: string,
  field: string | undefined,
  input: Record<string, unknown>,
  roots: PathRoots & { cwd: string },
): boolean {
  if (!field) return false;
  const value = stringField(input, field);
  if (!value) return false;
  const path = absolute(value, roots.cwd);
  return compilePathGlob(spec, roots).test(path);
}

function absolute(path: string, cwd: string): string {
  const joined = path.startsWith('/') ? path : `${cwd}/${path}`;
  const out: string[] = [];
  for (const part of joined.split('/')) {
    tick();
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function domainMatches(spec: string, url: string): boolean {
  if (!spec.startsWith('domain:')) return false;
  const domain = spec.slice(7).toLowerCase();
  const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  return host === domain || host.endsWith(`.${domain}`);
}
