import { type Problem, problem } from '../core/problems.js';
import { protectedPathProblem, toolchainPathProblem } from '../core/sandbox/credential-paths.js';
import { launcherPathProblem } from '../core/sandbox/launcher-paths.js';
import { domainProblem } from '../core/sandbox/sandbox-path.js';
import type { Spine } from './model.js';
import { locateText, lockedDenyWrite } from './sandbox-rules.js';
import { displayPath, type SpineTree } from './tree.js';

const TOOLCHAINS = 'guardrails/toolchains.yaml';

/**
 * A toolchain group opens the sandbox: each write path must be a cache directory that neither is,
 * holds nor lies inside a credential file or a place code runs from outside the sandbox, and each
 * domain a domain pattern. A path over a launcher directory or spine's own store (corepack's
 * binaries, `~/.cache/spine`, …) needs the same spine's locked `denyWrite` on that place: a team
 * may waive a default guardrail. Ids must not collide with another guardrail's. Each with
 * file:line:col.
 */
export function checkToolchainRules(spine: Spine, tree: SpineTree): Problem[] {
  const problems: Problem[] = [];
  const at = (needle: string) => ({
    file: displayPath(tree, TOOLCHAINS),
    ...locateText(tree.files.get(TOOLCHAINS), needle),
  });
  const secretGlobs = spine.secrets.paths.flatMap((p) => p.globs);
  const denied = lockedDenyWrite(spine);
  const seen = new Set<string>();
  for (const g of spine.toolchains) {
    if (seen.has(g.id))
      problems.push(problem('duplicate-id', `toolchain group id "${g.id}" is used twice`, at(g.id)));
    seen.add(g.id);
    if (!g.always && g.manifests.length === 0)
      problems.push(
        problem(
          'toolchain-never-enabled',
          `${g.id} has no manifests and is not "always": init would never enable it`,
          at(g.id),
        ),
      );
    for (const path of g.write) {
      const why = toolchainPathProblem(path) ?? protectedPathProblem(path, secretGlobs);
      if (why)
        problems.push(
          problem(
            'toolchain-secret-path',
            `"${path}" in ${g.id} may not become writable in the sandbox: ${why}; list the tool's cache directory instead`,
            at(path),
          ),
        );
      const launcher = why ? undefined : launcherPathProblem(path, denied);
      if (launcher)
        problems.push(
          problem(
            'toolchain-launcher-path',
            `"${path}" in ${g.id} may not become writable in the sandbox: ${launcher}; add it to a locked guardrail's sandbox denyWrite (as cache-launchers-read-only and spine-stores-read-only do), or list a narrower cache directory`,
            at(path),
          ),
        );
    }
    for (const domain of g.domains) {
      const why = domainProblem(domain);
      if (why) problems.push(problem('network-domain', `"${domain}" in ${g.id}: ${why}`, at(domain)));
    }
  }
  return problems;
}
