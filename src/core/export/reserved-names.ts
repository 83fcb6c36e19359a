/** Names Claude Code keeps for itself or for marketplaces published by Anthropic. */
const RESERVED = new Set([
  'inline',
  'builtin',
  'skills-dir',
  'claude-plugins-official',
  'claude-code-plugins',
  'anthropic-marketplace',
  'agent-skills',
]);

/**
 * Why a spine name cannot name a marketplace, or undefined. `claude plugin validate` does not
 * check this, but `claude plugin marketplace add` refuses such a name from a local directory.
 */
export function reservedMarketplaceName(name: string): string | undefined {
  if (RESERVED.has(name)) {
    return `the spine name "${name}" is reserved for Claude Code marketplaces; rename the spine to export it as a plugin`;
  }
  return undefined;
}
