import { type Problem, problem } from '../core/problems.js';
import type { Spine } from './model.js';
import { displayPath, type SpineTree } from './tree.js';
import { parseYaml } from './yaml-file.js';

const SECRETS = 'guardrails/secrets.yaml';

/**
 * Masked credentials (secrets.yaml `credentials`) that would not do what they say: a mask with no
 * inject hosts (the client would send the real value to every allowed domain), a variable the
 * spine also hides (deny and mask on one name: the client applies the deny, so the mask is dead),
 * and plain-HTTP injection nobody explained. Each with file:line:col.
 */
export function checkCredentialRules(spine: Spine, tree: SpineTree): Problem[] {
  const credentials = spine.secrets.credentials;
  if (credentials.length === 0) return [];
  const content = tree.files.get(SECRETS);
  const parsed = parseYaml(SECRETS, content?.toString('utf8') ?? '');
  const at = (path: (string | number)[]) => ({ file: displayPath(tree, SECRETS), ...parsed.locate(path) });
  const hidden = new Map(spine.secrets.envVars.flatMap((g) => g.names.map((n) => [n, g.id] as const)));
  const problems: Problem[] = [];
  credentials.forEach((c, i) => {
    if (c.injectHosts.length === 0)
      problems.push(
        problem(
          'credential-inject-hosts',
          `credential ${c.id} masks ${[...c.envVars, ...c.files].join(', ')} without injectHosts: list the hosts that may receive the real value (without them the client injects it at every allowed domain)`,
          at(['credentials', i, 'injectHosts']),
        ),
      );
    c.envVars.forEach((name, j) => {
      const deniedBy = hidden.get(name);
      if (deniedBy)
        problems.push(
          problem(
            'credential-also-denied',
            `${name} is masked by ${c.id} and hidden by ${deniedBy} (envVars): the client applies the deny, so the mask never works; keep it in one of them`,
            at(['credentials', i, 'envVars', j]),
          ),
        );
    });
    if (c.allowPlaintextInject && !c.plaintextWhy)
      problems.push(
        problem(
          'credential-plaintext-why',
          `credential ${c.id} sets allowPlaintextInject without plaintextWhy: plain HTTP carries the real value in cleartext to a host nobody verified; say why that is acceptable here`,
          at(['credentials', i, 'allowPlaintextInject']),
        ),
      );
  });
  return problems;
}
