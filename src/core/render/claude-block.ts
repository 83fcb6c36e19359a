import type { Spine } from '../../spine/model.js';
import { GLOSSARY_FILE } from './desired-state.js';

export const BLOCK_BEGIN = '<!-- spine:begin -->';
export const BLOCK_END = '<!-- spine:end -->';

/** The managed block's body: a pointer to what the spine provides, and the glossary import. */
export function claudeBlockBody(spine: Spine): string {
  const skills = spine.skills.map((s) => s.name).join(', ');
  return [
    `## Org spine: ${spine.manifest.name} v${spine.manifest.version}`,
    '',
    'This block is managed by `spine`; write team notes outside it. Guardrails live in',
    '`.claude/settings.json` (secret files are off limits, some actions ask a person first);',
    `shared skills${skills ? ` (${skills})` : ''} are in \`.claude/skills/\`. A denied call is a`,
    'guardrail working: say so and ask, never work around it.',
    '',
    `@${GLOSSARY_FILE}`,
  ].join('\n');
}

export interface BlockSpan {
  start: number;
  end: number;
  body: string;
}

/** Finds the block in CLAUDE.md text; `end` is just after the end marker. */
export function findBlock(text: string): BlockSpan | undefined {
  const start = text.indexOf(BLOCK_BEGIN);
  if (start < 0) return undefined;
  const endMarker = text.indexOf(BLOCK_END, start);
  if (endMarker < 0) return undefined;
  const bodyStart = start + BLOCK_BEGIN.length;
  const body = text
    .slice(bodyStart, endMarker)
    .replace(/^\r?\n/, '')
    .replace(/\r?\n$/, '');
  return { start, end: endMarker + BLOCK_END.length, body: body.replace(/\r\n/g, '\n') };
}

/** CLAUDE.md with the block inserted or replaced; every byte outside the block is kept. */
export function withBlock(text: string | undefined, body: string, seed: string): string {
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const block = [BLOCK_BEGIN, ...body.split('\n'), BLOCK_END].join(eol);
  if (text === undefined) return seed.replace('{{SPINE_BLOCK}}', [BLOCK_BEGIN, body, BLOCK_END].join('\n'));
  const span = findBlock(text);
  if (span) return text.slice(0, span.start) + block + text.slice(span.end);
  const separator = text.length === 0 ? '' : text.endsWith('\n') ? eol : eol + eol;
  return `${text}${separator}${block}${eol}`;
}
