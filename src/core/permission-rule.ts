/** Claude Code permission rules: `Tool` or `Tool(specifier)` (reference §2.1). */

export interface ParsedRule {
  tool: string;
  specifier?: string;
}

/** Tools whose names Claude Code 2.1 knows; another name is only a warning (MCP, newer tools). */
export const KNOWN_TOOLS = new Set([
  'Agent',
  'Bash',
  'Edit',
  'Glob',
  'Grep',
  'KillShell',
  'LS',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'Read',
  'Skill',
  'SlashCommand',
  'Task',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'Write',
  'ExitPlanMode',
  'BashOutput',
]);

const TOOL = /^(mcp__[A-Za-z0-9_-]+(__[A-Za-z0-9_*-]+)?|[A-Z][A-Za-z0-9_]*)$/;

export function parseRule(rule: string): ParsedRule | { error: string } {
  const open = rule.indexOf('(');
  if (open < 0) {
    return TOOL.test(rule) ? { tool: rule } : { error: `"${rule}" is not a tool name` };
  }
  if (!rule.endsWith(')')) return { error: `"${rule}" must end with ")"` };
  const tool = rule.slice(0, open);
  const specifier = rule.slice(open + 1, -1);
  if (!TOOL.test(tool)) return { error: `"${tool}" is not a tool name` };
  if (specifier.length === 0) return { error: `"${rule}" has an empty specifier` };
  const prefix = specifier.indexOf(':*');
  if (prefix >= 0 && (prefix !== specifier.length - 2 || prefix === 0)) {
    return { error: `":*" may only end a specifier, after a prefix ("${rule}")` };
  }
  return { tool: canonicalTool(tool), specifier };
}

/** `Task` is an alias Claude Code normalises to `Agent`. */
function canonicalTool(tool: string): string {
  return tool === 'Task' ? 'Agent' : tool;
}

export function ruleProblems(rule: string): { errors: string[]; warnings: string[] } {
  const parsed = parseRule(rule);
  if ('error' in parsed) return { errors: [parsed.error], warnings: [] };
  const warnings: string[] = [];
  if (!parsed.tool.startsWith('mcp__') && !KNOWN_TOOLS.has(parsed.tool)) {
    warnings.push(`unknown tool "${parsed.tool}" in "${rule}"`);
  }
  if (parsed.tool === 'Write' && parsed.specifier !== undefined) {
    warnings.push(`Claude Code ignores Write(path) rules; use Edit(...) ("${rule}")`);
  }
  return { errors: [], warnings };
}

/** The canonical form Claude Code compares: `Task(x)` → `Agent(x)`, `Bash(*)` → `Bash`. */
export function normaliseRule(rule: string): string {
  const parsed = parseRule(rule);
  if ('error' in parsed) return rule;
  if (parsed.specifier === undefined || parsed.specifier === '*' || parsed.specifier === '**')
    return parsed.tool;
  return `${parsed.tool}(${parsed.specifier})`;
}

/**
 * Does `pattern` cover `rule`? A pattern's `*` matches any characters and `:*` any suffix; a
 * pattern without a specifier covers only whole-tool rules. Used for neverAllow checks.
 */
export function patternCovers(pattern: string, rule: string): boolean {
  const p = parseRule(normaliseRule(pattern));
  const r = parseRule(normaliseRule(rule));
  if ('error' in p || 'error' in r || p.tool !== r.tool) return false;
  if (p.specifier === undefined) return r.specifier === undefined;
  if (r.specifier === undefined) return true;
  return globToRegExp(p.specifier).test(r.specifier);
}

function globToRegExp(spec: string): RegExp {
  const body = spec.endsWith(':*') ? `${escapeRegExp(spec.slice(0, -2))}(\\s.*)?` : escapeRegExp(spec);
  return new RegExp(`^${body.replace(/\\\*/g, '.*')}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}
