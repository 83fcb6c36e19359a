import type { ManagedKind } from './desired-state.js';

/** Kinds whose files belong to a named spine artifact: the owner is worth printing beside them. */
const NAMED: ReadonlySet<string> = new Set<ManagedKind>(['skill', 'agent', 'command']);

const LABELS: Record<string, string> = {
  glossary: 'glossary',
  hook: 'guard hook',
  policy: 'hook policy',
  workflow: 'CI workflow',
  zones: 'team zone map',
};

/**
 * How a managed file is named to a person: `skill review-change`, `guard hook`, `glossary` —
 * never the kind twice (`hook hook`) for files whose owner is just their kind.
 */
export function managedFileLabel(kind: string, owner?: string): string {
  if (NAMED.has(kind)) return owner ? `${kind} ${owner}` : kind;
  return LABELS[kind] ?? kind;
}
