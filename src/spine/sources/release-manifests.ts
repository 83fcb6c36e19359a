import { runGit } from './git.js';
import { parseRefs, releasesOf } from './refs.js';

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
  const releases = releasesOf(parseRefs(listed.stdout.toString('utf8')));
  if (releases.length === 0) return [];
  const input = releases.map((r) => `${r.commit}:spine.yaml`).join('\n');
  const batch = await runGit(undefined, ['-C', dir, 'cat-file', '--batch'], `${input}\n`);
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
