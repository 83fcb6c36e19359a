import type { GlossaryTerm } from '../../spine/model.js';

/** The glossary as Markdown, read by the agent (through CLAUDE.md) and by people. */
export function glossaryMarkdown(terms: GlossaryTerm[], spineName: string, version: string): string {
  const lines = [
    '# Glossary',
    '',
    `Shared vocabulary from the ${spineName} spine v${version}. Use these words in code, docs and`,
    'conversation; prefer the term over its aliases and never use the words marked "avoid".',
    '',
  ];
  // Plain code-unit order of the lower-cased terms: stable everywhere, and no ICU collator to load.
  const key = (t: GlossaryTerm) => t.term.toLowerCase();
  const sorted = [...terms].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const t of sorted) {
    lines.push(`## ${t.term}`, '', t.definition.trim(), '');
    if (t.aliases.length) lines.push(`- Also: ${t.aliases.join(', ')}`);
    if (t.avoid.length) lines.push(`- Avoid: ${t.avoid.join(', ')}`);
    if (t.see.length) lines.push(`- See: ${t.see.join(', ')}`);
    if (t.aliases.length || t.avoid.length || t.see.length) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
