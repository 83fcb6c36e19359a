import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitRef } from './refs.js';

/** The branches and tags, the refs a spine is read from. */
const LISTED = ['refs/heads/', 'refs/tags/'];
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The branches and tags of `gitDir` as `git for-each-ref` lists them (annotated tags peeled to
 * their commit, sorted by name), read from its `packed-refs` without starting git: a cached clone
 * keeps every ref packed (cache.ts packs them after a fetch that left any loose), so a warm read of
 * a git spine starts no process for its refs. Undefined whenever only git can tell — no
 * packed-refs file, a loose ref (a tag's file does not say whether it is annotated), the reftable
 * format, a packed-refs file that does not record every peeled tag or that this reader does not
 * understand.
 */
export function readPackedRefs(gitDir: string): GitRef[] | undefined {
  if (existsSync(join(gitDir, 'reftable')) || hasLooseRefs(gitDir)) return undefined;
  let text: string;
  try {
    // A repository without any (or a directory that is none) is git's to say.
    text = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = lines[0]?.startsWith('# pack-refs with:') ? lines.shift()! : '';
  // Without `fully-peeled`, a ref with no `^` line may still be an annotated tag.
  if (!header.split(' ').includes('fully-peeled')) return undefined;
  const refs: GitRef[] = [];
  let last: GitRef | undefined;
  for (const line of lines) {
    if (line.startsWith('^')) {
      const peeled = line.slice(1);
      if (!last || !OBJECT_ID.test(peeled)) return undefined;
      last.commit = peeled;
      last = undefined;
      continue;
    }
    const space = line.indexOf(' ');
    const [id, name] = [line.slice(0, space), line.slice(space + 1)];
    if (space < 0 || !OBJECT_ID.test(id) || name.length === 0 || name.includes(' ')) return undefined;
    last = undefined;
    if (!LISTED.some((prefix) => name.startsWith(prefix))) continue;
    last = { name, commit: id };
    refs.push(last);
  }
  return refs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether a branch or tag of `gitDir` is a file of its own, not packed (`git pack-refs` packs it). */
export function hasLooseRefs(gitDir: string): boolean {
  return LISTED.some((dir) => holdsAFile(join(gitDir, dir)));
}

/** Whether a loose ref lies anywhere under `dir` (anything but a directory counts). */
function holdsAFile(dir: string): boolean {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // None there; a file where the directory should be is a ref store this reader does not know.
    return code !== 'ENOENT';
  }
  return entries.some((entry) => !entry.isDirectory() || holdsAFile(join(dir, entry.name)));
}
