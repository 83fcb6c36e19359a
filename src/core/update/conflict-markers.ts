/**
 * Conflict regions counted by scanning the markers git wrote, not from merge-file's exit code
 * (which is capped and coalesces adjacent regions). A region is `<<<<<<<`, an optional
 * `|||||||` base section, `=======`, then `>>>>>>>`, each at the start of a line.
 */
export function countConflictRegions(text: string): number {
  let regions = 0;
  let state: 'outside' | 'ours' | 'base' | 'theirs' = 'outside';
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (state === 'outside' && isMarker(line, '<')) state = 'ours';
    else if (state === 'ours' && isMarker(line, '|')) state = 'base';
    else if ((state === 'ours' || state === 'base') && line === '=======') state = 'theirs';
    else if (state === 'theirs' && isMarker(line, '>')) {
      regions++;
      state = 'outside';
    }
  }
  return regions;
}

export function hasConflictMarkers(text: string): boolean {
  return countConflictRegions(text) > 0;
}

function isMarker(line: string, char: string): boolean {
  const marker = char.repeat(7);
  return line === marker || line.startsWith(`${marker} `);
}
