import { type Problem, problem } from '../../core/problems.js';
import { memoJson, memoKey } from '../../io/memo.js';
import { runGit } from './git.js';
import { type GitRef, parseRefs, type Release, releasesOf } from './refs.js';

export interface ReleaseManifest {
  tag: string;
  /** spine.yaml as committed at the tag. */
  text: string;
}

/**
 * The spine.yaml of every release tag `vX.Y.Z` when `dir` is the top of a git repository (a git
 * spine is a whole repository; in a sub-folder the tags are another project's): one
 * `for-each-ref`, one `cat-file --batch`, no checkout. A tag without the file is left out.
 */
export async function releaseManifests(dir: string): Promise<ReleaseManifest[]> {
  const prefix = await runGit(undefined, ['-C', dir, 'rev-parse', '--show-prefix']);
  if (prefix.exitCode !== 0 || prefix.stdout.toString('utf8').trim() !== '') return [];
  const listed = await runGit(undefined, [
    '-C',
    dir,
    'for-each-ref',
    '--format=%(objectname) %(*objectname) %(refname)',
    'refs/tags',
  ]);
  if (listed.exitCode !== 0) return [];
  return manifestsOf(dir, releasesOf(parseRefs(listed.stdout.toString('utf8'))));
}

/** The spine.yaml text at each release's commit, read with one `cat-file --batch` in `gitDir`. */
export async function manifestsOf(gitDir: string, releases: Release[]): Promise<ReleaseManifest[]> {
  if (releases.length === 0) return [];
  const input = releases.map((r) => `${r.commit}:spine.yaml`).join('\n');
  const batch = await runGit(undefined, ['-C', gitDir, 'cat-file', '--batch'], `${input}\n`);
  if (batch.exitCode !== 0) return [];
  const out: ReleaseManifest[] = [];
  const buf = batch.stdout;
  let offset = 0;
  for (const release of releases) {
    const newline = buf.indexOf(0x0a, offset);
    if (newline < 0) break;
    const header = buf.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    // `<oid> <type> <size>` is followed by the body and a newline; `<name> missing` has none.
    const found = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!found) continue;
    const end = offset + Number(found[2]);
    if (found[1] === 'blob') out.push({ tag: release.tag, text: buf.subarray(offset, end).toString('utf8') });
    offset = end + 1;
  }
  return out;
}

export interface SortedReleases {
  /** Releases whose spine.yaml names the tag's version, highest first. */
  valid: Release[];
  /** Release tags whose spine.yaml names another version (or has none), highest first. */
  bad: BadRelease[];
}

export interface BadRelease extends Release {
  problem: Problem;
}

/**
 * Splits a repository's release tags into those a team can move to and those it cannot: a tag
 * whose spine.yaml disagrees with it is refused by init and update, so suggesting it (doctor) or
 * choosing it as "the latest" (update without --to) would block every team until it is retagged.
 */
export async function sortReleases(
  gitDir: string,
  refs: GitRef[],
  /** Where the answer is memoised, by the release tags and their commits. */
  cacheDir?: string,
): Promise<SortedReleases> {
  const releases = releasesOf(refs);
  if (releases.length === 0) return { valid: [], bad: [] };
  // A commit's spine.yaml never changes, so the same tags on the same commits sort the same: a
  // warm doctor neither reads the manifests nor loads the YAML parser.
  if (!cacheDir) return sortUncached(gitDir, releases);
  const key = memoKey('releases', ...releases.map((r) => `${r.tag} ${r.commit}`));
  return memoJson(cacheDir, 'releases', key, () => sortUncached(gitDir, releases));
}

async function sortUncached(gitDir: string, releases: Release[]): Promise<SortedReleases> {
  // The YAML parser only when the manifests are read.
  const { manifestVersion, releaseVersionProblem, tagVersion } = await import('../release-version.js');
  const manifests = new Map((await manifestsOf(gitDir, releases)).map((m) => [m.tag, m.text]));
  const valid: Release[] = [];
  const bad: BadRelease[] = [];
  for (const release of releases) {
    const text = manifests.get(release.tag) ?? '';
    const file = `spine.yaml@${release.tag}`;
    if (manifestVersion(file, text)?.version === tagVersion(release.tag)) {
      valid.push(release);
      continue;
    }
    bad.push({
      ...release,
      problem:
        releaseVersionProblem(release.tag, file, text) ??
        problem('release-version', `release tag ${release.tag} has no spine.yaml version`, { file }),
    });
  }
  return { valid, bad };
}
