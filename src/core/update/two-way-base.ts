/** Above this many line pairs the synthetic base is skipped; the merge then shows whole-file sides. */
const MAX_CELLS = 4_000_000;

/**
 * A stand-in base for a two-way merge: the lines both sides share, in order (their longest
 * common subsequence). Merging against it keeps lines only one side has and turns every place
 * where both differ into a conflict region, instead of one conflict spanning the whole file.
 */
export function commonLinesBase(ours: string, theirs: string): string {
  const a = splitLines(ours);
  const b = splitLines(theirs);
  if (a.length * b.length > MAX_CELLS) return '';
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1]! + 1
          : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const common: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common.push(a[i]!);
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return common.join('');
}

/** Lines with their terminators, so the base keeps the sides' line endings. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
