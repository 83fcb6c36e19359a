import type { Effect, NeverAllow } from '../../spine/model.js';
import { normaliseRule, parseRule, patternCovers } from '../permission-rule.js';
import type { ExtractItem, ItemSource, Pioneer } from './model.js';
import { repoSpecific } from './repo-specific.js';
import { ruleId } from './rule-ids.js';

/** A rule the spine already puts into settings, with the guardrail it serves. */
export interface SpineRule {
  id: string;
  effect: Effect;
  rule: string;
}

const STRICTNESS: Record<Effect, number> = { allow: 0, ask: 1, deny: 2 };

interface Found {
  effect: Effect;
  rule: string;
  source: ItemSource;
  personal: boolean;
}

/**
 * Classifies every permission rule of every pioneer: deny and ask rules become guardrails unless
 * the spine covers them or they name one repo; allow rules stay local unless asked for.
 */
export function classifyRules(
  pioneers: Pioneer[],
  spineRules: SpineRule[],
  neverAllow: NeverAllow[],
  options: { includeAllow: boolean; takenIds: Set<string> },
): ExtractItem[] {
  const items: ExtractItem[] = [];
  const byRule = new Map<string, Found[]>();
  for (const pioneer of pioneers) {
    for (const s of pioneer.settings) {
      const perms = s.value.permissions as Record<string, unknown> | undefined;
      for (const effect of ['deny', 'ask', 'allow'] as Effect[]) {
        const list = perms?.[effect];
        if (!Array.isArray(list)) continue;
        list.forEach((rule, index) => {
          if (typeof rule !== 'string') return;
          const source = { team: pioneer.team, file: s.file, line: s.line(['permissions', effect, index]) };
          const found = { effect, rule, source, personal: s.personal };
          const local = s.personal
            ? 'personal settings (settings.local.json) stay with the person'
            : effect === 'allow' && !options.includeAllow
              ? 'allow rules are the team’s own convenience, not guardrails (--include-allow takes them)'
              : repoSpecific(rule, pioneer);
          if (local) {
            items.push(ruleItem(found, 'local', local, [source]));
            return;
          }
          const key = normaliseRule(rule);
          byRule.set(key, [...(byRule.get(key) ?? []), found]);
        });
      }
    }
  }

  for (const found of byRule.values()) {
    // The strictest effect any pioneer gives the rule; the others are covered by it.
    const strictest = found.reduce((a, b) => (STRICTNESS[b.effect] > STRICTNESS[a.effect] ? b : a));
    const sources = found.map((f) => f.source);
    const teams = new Set(sources.map((s) => s.team));
    const mixed = new Set(found.map((f) => f.effect)).size > 1;
    const { effect, rule } = strictest;

    const same = spineRules.find((s) => normaliseRule(s.rule) === normaliseRule(rule));
    if (same && STRICTNESS[same.effect] < STRICTNESS[effect]) {
      items.push(
        ruleItem(
          strictest,
          'conflict',
          `stricter than the spine's ${same.effect} rule in "${same.id}"; settle it there`,
          sources,
          teams,
        ),
      );
      continue;
    }
    const cover = spineRules.find(
      (s) =>
        STRICTNESS[s.effect] >= STRICTNESS[effect] &&
        (normaliseRule(s.rule) === normaliseRule(rule) || covers(s.rule, rule)),
    );
    if (cover) {
      const how =
        normaliseRule(cover.rule) === normaliseRule(rule)
          ? 'already in the spine'
          : `covered by "${cover.rule}"`;
      items.push({
        ...ruleItem(strictest, 'merged', `${how} (${cover.id})`, sources, teams),
        name: cover.id,
      });
      continue;
    }
    if (effect === 'allow') {
      const never = neverAllow.find((n) => patternCovers(n.pattern, rule));
      if (never) {
        items.push(ruleItem(strictest, 'local', `the spine never allows it (${never.id})`, sources, teams));
        continue;
      }
    }
    if ('error' in parseRule(rule)) {
      items.push(ruleItem(strictest, 'local', 'not a rule Claude Code accepts', sources, teams));
      continue;
    }
    const id = ruleId(effect, rule, options.takenIds);
    options.takenIds.add(id);
    const why =
      (teams.size > 1 ? `in ${teams.size} repos` : `from ${[...teams][0]}`) +
      (mixed ? `; the strictest of ${[...new Set(found.map((f) => f.effect))].join('/')}` : '');
    items.push({
      ...ruleItem(strictest, 'take', `new ${effect} guardrail, ${why}`, sources, teams),
      name: id,
    });
  }
  return items;
}

function ruleItem(
  found: Found,
  action: ExtractItem['action'],
  reason: string,
  sources: ItemSource[],
  teams = new Set(sources.map((s) => s.team)),
): ExtractItem {
  return {
    kind: 'guardrail',
    name: found.rule,
    action,
    reason,
    sources,
    stronger: teams.size > 1,
    rule: { effect: found.effect, rule: found.rule },
    path: action === 'take' ? 'guardrails/permissions.yaml' : undefined,
  };
}

const PATH_TOOLS = new Set(['Read', 'Edit', 'Write', 'NotebookEdit']);

// patternCovers, plus the gitignore reading Claude Code gives path rules: a leading `**/`
// also matches at the top (so `Read(**/.env)` covers `Read(.env)`), and `./.env` is `.env`.
function covers(pattern: string, rule: string): boolean {
  if (patternCovers(pattern, rule)) return true;
  const p = parseRule(pattern);
  const r = parseRule(rule);
  if (
    'error' in p ||
    'error' in r ||
    p.tool !== r.tool ||
    !PATH_TOOLS.has(p.tool) ||
    !p.specifier ||
    !r.specifier
  )
    return false;
  const strip = (spec: string) => spec.replace(/^\.\//, '').replace(/^(\*\*\/)+/, '');
  return patternCovers(`${p.tool}(${strip(p.specifier)})`, `${r.tool}(${strip(r.specifier)})`);
}
