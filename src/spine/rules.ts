import { normaliseRule, patternCovers, ruleProblems } from '../core/permission-rule.js';
import { type Problem, problem } from '../core/problems.js';
import { checkCredentialRules } from './credential-rules.js';
import type { Spine } from './model.js';
import { checkReferences } from './references.js';
import { checkSandboxRules } from './sandbox-rules.js';
import { checkTelemetryRules } from './telemetry-rules.js';
import { checkToolchainRules } from './toolchain-rules.js';
import { displayPath, type SpineTree } from './tree.js';

/** Cross-field checks that no single schema can express. */
export function checkSpineRules(spine: Spine, tree: SpineTree): Problem[] {
  const problems: Problem[] = [];
  const locate = (file: string, needle: string) => ({
    file: displayPath(tree, file),
    line: lineOf(tree.files.get(file), needle),
  });

  // Guardrail ids are the contract with every team's lock and waivers: unique across files.
  const ids = new Map<string, string>();
  const claim = (id: string, file: string) => {
    const first = ids.get(id);
    if (first)
      problems.push(
        problem(
          'duplicate-id',
          `guardrail id "${id}" is already used in ${first}`,
          locate(file, `id: ${id}`),
        ),
      );
    else ids.set(id, file);
  };
  const perms = 'guardrails/permissions.yaml';
  const secrets = 'guardrails/secrets.yaml';
  if (spine.permissions.bypassMode) claim(spine.permissions.bypassMode.id, perms);
  for (const g of spine.permissions.rules) claim(g.id, perms);
  for (const n of spine.permissions.neverAllow) claim(n.id, perms);
  for (const p of spine.secrets.paths) claim(p.id, secrets);
  for (const t of spine.secrets.tokens) claim(t.id, secrets);
  if (spine.secrets.guard) claim(spine.secrets.guard.id, secrets);
  for (const v of spine.secrets.envVars) claim(v.id, secrets);
  for (const g of spine.secrets.sandbox) claim(g.id, secrets);
  const network = 'guardrails/network.yaml';
  for (const g of [...spine.network.allowed, ...spine.network.denied]) claim(g.id, network);
  if (spine.network.managedDomainsOnly) claim(spine.network.managedDomainsOnly.id, network);
  if (spine.network.strictAllowlist) claim(spine.network.strictAllowlist.id, network);
  if (spine.audit) claim(spine.audit.id, 'guardrails/audit.yaml');

  const checkRule = (rule: string, file: string) => {
    const { errors, warnings } = ruleProblems(rule);
    for (const e of errors) problems.push(problem('rule-syntax', e, locate(file, rule)));
    for (const w of warnings) problems.push(problem('rule-syntax', w, locate(file, rule), 'warning'));
  };
  for (const g of spine.permissions.rules) for (const r of g.rules) checkRule(r, perms);
  for (const n of spine.permissions.neverAllow) checkRule(n.pattern, perms);
  for (const p of spine.secrets.paths) for (const r of p.bash) checkRule(r, secrets);

  // A reason left for later (spine extract writes one per new guardrail) is not yet a reason.
  for (const g of spine.permissions.rules) {
    if (/^\s*TODO\b/i.test(g.why)) {
      problems.push(
        problem(
          'why-todo',
          `guardrail "${g.id}" has no reason yet (why: ${g.why})`,
          locate(perms, `id: ${g.id}`),
          'warning',
        ),
      );
    }
  }

  // Evaluation observes what a refusal would do: an allow refuses nothing, and without the audit
  // (and, for secret paths, the guard) nothing records the would-be refusals.
  for (const g of spine.permissions.rules) {
    if (g.mode !== 'evaluate') continue;
    if (g.effect === 'allow')
      problems.push(
        problem(
          'evaluate-allow',
          `guardrail "${g.id}" is an allow rule: mode evaluate applies to deny and ask guardrails`,
          locate(perms, `id: ${g.id}`),
        ),
      );
    else if (!spine.audit)
      problems.push(
        problem(
          'evaluate-unrecorded',
          `guardrail "${g.id}" is evaluated but the spine has no audit guardrail to record what it would refuse`,
          locate(perms, `id: ${g.id}`),
        ),
      );
  }
  for (const p of spine.secrets.paths) {
    if (p.mode === 'evaluate' && (!spine.secrets.guard || !spine.audit))
      problems.push(
        problem(
          'evaluate-unrecorded',
          `secret path "${p.id}" is evaluated, which needs the guard and the audit guardrails to record what it would refuse`,
          locate(secrets, `id: ${p.id}`),
        ),
      );
  }

  // Contradictions: the same rule with two effects, or an allow a neverAllow forbids.
  const effects = new Map<string, string>();
  for (const g of spine.permissions.rules) {
    for (const r of g.rules) {
      const key = normaliseRule(r);
      const other = effects.get(key);
      if (other && other !== g.effect) {
        problems.push(problem('contradiction', `"${r}" is both ${other} and ${g.effect}`, locate(perms, r)));
      }
      effects.set(key, g.effect);
      if (g.effect === 'allow') {
        for (const n of spine.permissions.neverAllow) {
          if (patternCovers(n.pattern, r)) {
            problems.push(
              problem(
                'never-allow',
                `allow "${r}" matches neverAllow "${n.pattern}" (${n.id})`,
                locate(perms, r),
              ),
            );
          }
        }
      }
    }
  }

  for (const t of [...spine.secrets.tokens, ...(spine.audit?.patterns ?? [])]) {
    try {
      new RegExp(t.pattern);
    } catch (error) {
      const file = spine.secrets.tokens.includes(t as never) ? secrets : 'guardrails/audit.yaml';
      problems.push(
        problem(
          'bad-pattern',
          `pattern of "${t.id}" is not a valid regular expression: ${(error as Error).message}`,
          locate(file, t.id),
        ),
      );
    }
  }

  problems.push(...checkSandboxRules(spine, tree));
  problems.push(...checkCredentialRules(spine, tree));
  problems.push(...checkToolchainRules(spine, tree));
  problems.push(...checkTelemetryRules(spine, tree));
  problems.push(...checkGlossary(spine, tree));
  problems.push(...checkReferences(tree));

  const agentNames = new Set<string>();
  for (const a of spine.agents) {
    if (agentNames.has(a.name)) {
      problems.push(
        problem('duplicate-agent', `agent name "${a.name}" is used twice`, {
          file: displayPath(tree, a.file.path),
        }),
      );
    }
    agentNames.add(a.name);
  }
  return problems;
}

function checkGlossary(spine: Spine, tree: SpineTree): Problem[] {
  const problems: Problem[] = [];
  const file = 'glossary.yaml';
  const names = new Map<string, string>();
  for (const t of spine.glossary) {
    for (const name of [t.term, ...t.aliases]) {
      const key = name.toLowerCase();
      const owner = names.get(key);
      if (owner !== undefined) {
        const what = owner === t.term ? 'repeats' : `collides with "${owner}"`;
        problems.push(
          problem('glossary-duplicate', `"${name}" ${what}`, {
            file: displayPath(tree, file),
            line: lineOf(tree.files.get(file), name),
          }),
        );
      } else names.set(key, t.term);
    }
  }
  for (const t of spine.glossary) {
    for (const avoid of t.avoid) {
      if (names.has(avoid.toLowerCase())) {
        problems.push(
          problem(
            'glossary-avoid',
            `"${avoid}" is to be avoided in "${t.term}" but is itself a term or alias`,
            {
              file: displayPath(tree, file),
              line: lineOf(tree.files.get(file), avoid),
            },
          ),
        );
      }
    }
  }
  return problems;
}

function lineOf(content: Buffer | undefined, needle: string): number | undefined {
  if (!content) return undefined;
  const index = content
    .toString('utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  return index < 0 ? undefined : index + 1;
}
