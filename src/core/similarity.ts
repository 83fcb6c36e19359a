import { distance } from 'fastest-levenshtein';
/** Near-duplicate skills: a proposal that repeats an upstream skill under another name. */

export interface SkillSummary {
  name: string;
  description: string;
}

export interface NearDuplicate {
  name: string;
  /** `name`: the names are close; `description`: the descriptions say the same thing. */
  reason: 'name' | 'description';
  /** 0..1, higher is closer. */
  score: number;
}

export const NAME_THRESHOLD = 0.8;
export const DESCRIPTION_THRESHOLD = 0.6;

const STOPWORDS = new Set(
  'a an and are as at be by for from how in into is it its of on or that the this to use used when with you your'.split(
    ' ',
  ),
);

/** Upstream skills (other than one of the same name) that look like the proposed one. */
export function findNearDuplicates(proposed: SkillSummary, upstream: SkillSummary[]): NearDuplicate[] {
  const found: NearDuplicate[] = [];
  for (const other of upstream) {
    if (other.name === proposed.name) continue;
    const byName = nameSimilarity(proposed.name, other.name);
    const byDescription = descriptionSimilarity(proposed.description, other.description);
    if (byName >= NAME_THRESHOLD) found.push({ name: other.name, reason: 'name', score: round(byName) });
    else if (byDescription >= DESCRIPTION_THRESHOLD) {
      found.push({ name: other.name, reason: 'description', score: round(byDescription) });
    }
  }
  return found.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}

/** The closer of edit-distance similarity and word-set overlap (so `review-change` ≈ `change-review`). */
export function nameSimilarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const edit = 1 - distance(x, y) / Math.max(x.length, y.length, 1);
  const words = jaccard(new Set(x.split(/[-_\s]+/).map(stem)), new Set(y.split(/[-_\s]+/).map(stem)));
  return Math.max(edit, words);
}

export function descriptionSimilarity(a: string, b: string): number {
  const wa = contentWords(a);
  const wb = contentWords(b);
  if (wa.size < 3 || wb.size < 3) return 0;
  return jaccard(wa, wb);
}

function contentWords(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !STOPWORDS.has(w))
      .map(stem),
  );
}

/** Crude word-form folding: enough for `reviews` ≈ `review`, `writing` ≈ `writer` ≈ `write`. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(ing|es|s|ed|er)$/, '').replace(/e$/, '');
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const w of a) if (b.has(w)) common++;
  return common / (a.size + b.size - common);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
