import { distance } from 'fastest-levenshtein';
// The functions, not the package: its ranges are unused, and cost every git-spine command's start.
import coerce from 'semver/functions/coerce.js';
import rcompare from 'semver/functions/rcompare.js';
import valid from 'semver/functions/valid.js';

const semver = { coerce, rcompare, valid };

/** A ref of the spine repository, with annotated tags peeled to their commit. */
export interface GitRef {
  /** Full name: refs/tags/v1.2.0, refs/heads/main. */
  name: string;
  commit: string;
}

export interface Release {
  tag: string;
  version: string;
  commit: string;
}

const RELEASE_TAG = /^v(\d+\.\d+\.\d+)$/;

/** Parses `git for-each-ref --format='%(objectname) %(*objectname) %(refname)'`. */
export function parseRefs(text: string): GitRef[] {
  const refs: GitRef[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts.length < 2) continue;
    // Lightweight refs have an empty peeled column, so the line holds two spaces.
    const [object, peeled, name] = parts.length === 3 ? parts : [parts[0], '', parts[parts.length - 1]];
    refs.push({ name: name!, commit: peeled || object! });
  }
  return refs;
}

/** Release tags `vX.Y.Z` (pre-releases are not releases), highest first. */
export function releasesOf(refs: GitRef[]): Release[] {
  const releases: Release[] = [];
  for (const ref of refs) {
    if (!ref.name.startsWith('refs/tags/')) continue;
    const tag = ref.name.slice('refs/tags/'.length);
    const match = RELEASE_TAG.exec(tag);
    if (match && semver.valid(match[1]!)) releases.push({ tag, version: match[1]!, commit: ref.commit });
  }
  return releases.sort((a, b) => semver.rcompare(a.version, b.version));
}

export function tagsOf(refs: GitRef[]): string[] {
  return refs.filter((r) => r.name.startsWith('refs/tags/')).map((r) => r.name.slice('refs/tags/'.length));
}

/** A tag first, then a branch: the order in which a user means a short name. */
export function findNamedRef(refs: GitRef[], ref: string): GitRef | undefined {
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/tags/${ref}`, `refs/heads/${ref}`];
  for (const name of candidates) {
    const found = refs.find((r) => r.name === name);
    if (found) return found;
  }
  return undefined;
}

export function looksLikeSha(ref: string): boolean {
  return /^[0-9a-f]{4,40}$/i.test(ref);
}

/** The tags closest to a mistyped ref: by edit distance, ties broken by newest release first. */
export function nearestTags(ref: string, tags: string[], count = 3): string[] {
  const scored = tags.map((tag) => ({ tag, distance: distance(ref.toLowerCase(), tag.toLowerCase()) }));
  scored.sort((a, b) => a.distance - b.distance || compareTagsDescending(a.tag, b.tag));
  return scored.slice(0, count).map((s) => s.tag);
}

function compareTagsDescending(a: string, b: string): number {
  const va = semver.valid(semver.coerce(a));
  const vb = semver.valid(semver.coerce(b));
  if (va && vb && va !== vb) return semver.rcompare(va, vb);
  return a.localeCompare(b);
}
