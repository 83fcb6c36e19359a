import { launcherPlaceOf, launcherPlacesIn } from '../sandbox/launcher-paths.js';
import type { Facts } from './facts.js';

/**
 * Friction: ordinary work a guardrail stopped (a read-only toolchain cache, a registry not on the
 * allow list, a guard refusal of a command that prints no contents), per class and team. Each
 * class comes with the spine change that ends it, since a team that keeps meeting one switches
 * the guardrail off instead.
 */
export interface FrictionRow {
  layer: string;
  /** write, access, network or command (hooks/friction.ts). */
  kind: string;
  /** What was refused: `~/.npm`, `registry.example.com`, `wc`. */
  class: string;
  hits: number;
  teams: { team: string; hits: number }[];
  /** The spine change that ends it, or what to look at. */
  change: string;
}

export type FrictionState = Map<string, { hits: number; teams: Map<string, number> }>;

export function createFrictionState(): FrictionState {
  return new Map();
}

/** Folds one repo's friction counts into the state. */
export function addFriction(state: FrictionState, facts: Facts, team: string, since: string | null): void {
  for (const day of facts.activity?.days ?? []) {
    if (!day.friction || (since && day.date < since)) continue;
    for (const [key, n] of Object.entries(day.friction)) {
      if (!parseKey(key)) continue;
      const tally = state.get(key) ?? { hits: 0, teams: new Map<string, number>() };
      tally.hits += n;
      tally.teams.set(team, (tally.teams.get(team) ?? 0) + n);
      state.set(key, tally);
    }
  }
}

/** One row per class, most hits first. */
export function frictionRows(state: FrictionState): FrictionRow[] {
  return [...state]
    .flatMap(([key, t]) => {
      const parsed = parseKey(key);
      if (!parsed) return [];
      return [
        {
          ...parsed,
          hits: t.hits,
          teams: [...t.teams]
            .map(([team, hits]) => ({ team, hits }))
            .sort((a, b) => b.hits - a.hits || (a.team < b.team ? -1 : 1)),
          change: changeFor(parsed),
        },
      ];
    })
    .sort((a, b) => b.hits - a.hits || (a.class < b.class ? -1 : 1));
}

/** `sandbox:write:~/.npm` → its parts; the class may itself hold colons. */
function parseKey(key: string): { layer: string; kind: string; class: string } | undefined {
  const [layer, kind, ...rest] = key.split(':');
  const cls = rest.join(':');
  return layer && kind && cls ? { layer, kind, class: cls } : undefined;
}

/** How a row reads in a sentence: "~/.npm written 41 times". */
export function frictionVerb(kind: string): string {
  switch (kind) {
    case 'write':
      return 'written';
    case 'network':
      return 'blocked';
    case 'command':
      return 'refused by the guard';
    case 'workaround':
      return 'worked around';
    default:
      return 'refused';
  }
}

/** The short form of the change, for a title: "add to the toolchain group". */
export function frictionAction(row: Pick<FrictionRow, 'kind' | 'class'>): string {
  if (row.kind === 'write' && launcherPlaceOf(row.class)) return 'read-only on purpose';
  if (row.kind === 'write' && !row.class.startsWith('./')) return 'add to the toolchain group';
  if (row.kind === 'network') return 'add the domain to the toolchain group';
  if (row.kind === 'command') return 'a guard false positive';
  if (row.kind === 'workaround') return 'review the rule';
  if (row.class.startsWith('./')) return 'a path the client protects';
  return 'narrow the sandbox’s denyRead';
}

function changeFor(f: { kind: string; class: string }): string {
  const spineChange = 'spine validate, release; teams get it with spine update';
  if (f.kind === 'write' && f.class.startsWith('./'))
    return `the client keeps ${f.class} read-only inside the repo; say in CLAUDE.md or a skill what the agent should do instead`;
  const launcher = f.kind === 'write' ? launcherPlaceOf(f.class) : undefined;
  if (launcher)
    return `${launcher.place} holds ${launcher.why}: the spine keeps it read-only for the agent whatever a toolchain group opens (docs/sandbox.md); ${launcher.instead}`;
  const held = f.kind === 'write' ? launcherPlacesIn(f.class) : [];
  if (held.length)
    return `add "${f.class}" to the write list of the toolchain group that uses it in guardrails/toolchains.yaml, ${spineChange}; writes into ${held.join(', ')} stay refused on purpose (programs run outside the sandbox, or spine's own state; docs/sandbox.md)`;
  if (f.kind === 'write')
    return `add "${f.class}" to the write list of the toolchain group that uses it in guardrails/toolchains.yaml (a group of its own if none fits; never a config file that can hold a token), ${spineChange}`;
  if (f.kind === 'network')
    return `add ${f.class} to the domains of the toolchain group that needs it in guardrails/toolchains.yaml (an org registry is one more domain), ${spineChange}`;
  if (f.kind === 'workaround') {
    const at = f.class.indexOf(': ');
    const rule = at > 0 ? f.class.slice(0, at) : f.class;
    const how = at > 0 ? f.class.slice(at + 2) : 'another call';
    return `${rule} refused a call and the session got the same done with \`${how}\`: if that work was ordinary, narrow ${rule}'s rules in guardrails/permissions.yaml; if it was not, add the other way to the rule, ${spineChange}`;
  }
  if (f.kind === 'command')
    return `the guard refused \`${f.class}\`, which prints no file's contents: report it as a guard false positive; meanwhile an allowPaths entry in guardrails/secrets.yaml for a public file it matched, ${spineChange}`;
  return `${f.class} is not a secret but the sandbox refused it: narrow the denyRead globs that cover it, or add it to allowPaths in guardrails/secrets.yaml, ${spineChange}`;
}
