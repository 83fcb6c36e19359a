import { type Problem, problem } from '../core/problems.js';
import { protectedPathProblem } from '../core/sandbox/credential-paths.js';
import { launcherPathProblem } from '../core/sandbox/launcher-paths.js';
import { domainProblem, toSandboxPath } from '../core/sandbox/sandbox-path.js';
import type { Spine } from './model.js';
import { displayPath, type SpineTree } from './tree.js';

const SECRETS = 'guardrails/secrets.yaml';
const NETWORK = 'guardrails/network.yaml';

/**
 * What the sandbox cannot express: a secret glob with no sandbox path form (it would be silently
 * inert there), and a network entry that is not a domain pattern. And what it must not open: a
 * sandbox guardrail's `~/` allowWrite entry is held to the toolchain paths' rules (no credential
 * file, no place code runs from outside the sandbox, no launcher or spine store the spine does not
 * keep read-only); a glob counts by its fixed prefix, as the client opens everything under it.
 * Each with file:line:col.
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
  const secretGlobs = spine.secrets.paths.flatMap((p) => p.globs);
  const denied = lockedDenyWrite(spine);
  for (const g of spine.secrets.sandbox) {
    for (const entry of g.settings.allowWrite ?? []) {
      if (entry !== '~' && !entry.startsWith('~/')) continue;
      const prefix = fixedPrefix(entry);
      const why = protectedPathProblem(prefix, secretGlobs) ?? launcherPathProblem(prefix, denied);
      if (why)
        problems.push(
          problem(
            'sandbox-write-path',
            `allowWrite entry "${entry}" of ${g.id} may not become writable in the sandbox: ${why}`,
            at(SECRETS, entry),
          ),
        );
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

/**
 * The sandbox `denyWrite` entries of the spine's locked guardrails: a team may waive a default
 * one, so only these keep a place read-only whatever the team does.
 */
export function lockedDenyWrite(spine: Spine): string[] {
  return spine.secrets.sandbox.filter((g) => g.level === 'locked').flatMap((g) => g.settings.denyWrite ?? []);
}

/** `~/.cache/*\/x` → `~/.cache`: the directory a sandbox glob opens everything under. */
function fixedPrefix(entry: string): string {
  const parts = entry.split('/');
  const cut = parts.findIndex((s) => /[*?[\]{}]/.test(s));
  return cut < 0 ? entry : parts.slice(0, cut).join('/') || '~';
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
