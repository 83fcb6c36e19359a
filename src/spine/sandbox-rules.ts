import { type Problem, problem } from '../core/problems.js';
import { domainProblem, toSandboxPath } from '../core/sandbox/sandbox-path.js';
import type { Spine } from './model.js';
import { displayPath, type SpineTree } from './tree.js';

const SECRETS = 'guardrails/secrets.yaml';
const NETWORK = 'guardrails/network.yaml';

/**
 * What the sandbox cannot express: a secret glob with no sandbox path form (it would be silently
 * inert there), and a network entry that is not a domain pattern. Each with file:line:col.
 */
export function checkSandboxRules(spine: Spine, tree: SpineTree): Problem[] {
  const problems: Problem[] = [];
  const at = (file: string, needle: string) => ({
    file: displayPath(tree, file),
    ...locateText(tree.files.get(file), needle),
  });
  const sandboxed = spine.secrets.sandbox.some((g) => g.settings.enabled === true);
  if (sandboxed) {
    const globs = [
      ...spine.secrets.paths.flatMap((p) =>
        p.globs.map((g) => ({ glob: g, what: `secret glob of ${p.id}` })),
      ),
      ...spine.secrets.allowPaths.map((g) => ({ glob: g, what: 'allowPaths entry' })),
    ];
    for (const { glob, what } of globs) {
      const compiled = toSandboxPath(glob);
      if ('error' in compiled) {
        problems.push(
          problem(
            'sandbox-glob',
            `${what} "${glob}" has no sandbox path form: ${compiled.error}`,
            at(SECRETS, glob),
          ),
        );
      }
    }
  }
  for (const g of [...spine.network.allowed, ...spine.network.denied]) {
    for (const domain of g.domains) {
      const why = domainProblem(domain);
      if (why)
        problems.push(problem('network-domain', `"${domain}" in ${g.id}: ${why}`, at(NETWORK, domain)));
    }
  }
  return problems;
}

/** Line and column (1-based) of the first occurrence of a text, preferring a quoted one. */
export function locateText(content: Buffer | undefined, needle: string): { line?: number; column?: number } {
  if (!content) return {};
  const lines = content.toString('utf8').split('\n');
  for (const candidate of [`"${needle}"`, `'${needle}'`, needle]) {
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i]!.indexOf(candidate);
      if (col >= 0) return { line: i + 1, column: col + 1 + (candidate === needle ? 0 : 1) };
    }
  }
  return {};
}
