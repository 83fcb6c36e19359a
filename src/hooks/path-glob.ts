import { tick } from './deadline.js';

/**
 * Path globs as Claude Code's Read/Edit rules read them (gitignore style, case-insensitive),
 * compiled to a small automaton over absolute, normalised paths (linear time, no backtracking):
 * `~/x` home, `//x` filesystem root, `/x` project root, `**\/x` anywhere, `x` (no slash) any
 * depth, `a/b` relative to the project. A trailing `/**` also matches the directory itself,
 * so copying or archiving a whole secret directory counts as touching it.
 */
export interface PathRoots {
  projectDir: string;
  home: string;
}

/** A compiled path glob: tested in time linear in path × glob, never by a backtracking regex. */
export interface PathGlob {
  test(path: string): boolean;
}

/**
 * One step of a compiled glob. `c` a literal character (lower case), `one` any character but `/`,
 * `star` any run without `/`, `any` any run at all, `class` a bracket set, `group` an optional
 * part (`skip` is the index after it): `**\/` and a trailing `/**` are optional groups.
 */
type Step =
  | { k: 'c'; c: string }
  | { k: 'one' }
  | { k: 'star' }
  | { k: 'any' }
  | { k: 'class'; ranges: string[]; negate: boolean }
  | { k: 'group'; skip: number };

export function compilePathGlob(glob: string, roots: PathRoots): PathGlob {
  let body = withoutTrailing(glob.trim(), '/');
  let prefix = '';
  let anywhere = false;
  if (body === '~' || body.startsWith('~/')) {
    prefix = `${trimSlash(roots.home)}/`;
    body = body.slice(2);
  } else if (body.startsWith('//')) {
    prefix = '/';
    body = body.slice(2);
  } else if (body.startsWith('/')) {
    prefix = `${trimSlash(roots.projectDir)}/`;
    body = body.slice(1);
  } else {
    while (body.startsWith('./')) body = body.slice(2);
    anywhere = body.startsWith('**/') || !body.includes('/');
    if (body.startsWith('**/')) body = body.slice(3);
    if (!anywhere) prefix = `${trimSlash(roots.projectDir)}/`;
  }
  const build = (): { steps: Step[]; needle: string } => {
    const steps: Step[] = [];
    for (const c of prefix.toLowerCase()) steps.push({ k: 'c', c });
    if (anywhere) {
      steps.push({ k: 'c', c: '/' });
      optionalDirs(steps);
    }
    globBody(body, steps);
    return { steps, needle: longestLiteral(steps) };
  };
  // A hook start tests a handful of paths against every glob, and most paths lack the glob's
  // fixed part (`.env`, `.pem`): the automaton is built only for a path that has it. A bracket
  // set is built at once (its letters are no fixed part), so one that cannot compile still fails
  // where the glob is read.
  const bracketed = body.includes('[');
  const mark = bracketed ? '' : literalRun(body);
  let compiled = bracketed ? build() : undefined;
  return {
    test: (path) => {
      const text = path.toLowerCase();
      if (!text.includes(mark)) return false;
      compiled ??= build();
      // The longest fixed part of the whole glob: a native substring search rejects most paths
      // without running the automaton, which keeps a 30,000-word command cheap.
      return text.includes(compiled.needle) && run(compiled.steps, text);
    },
  };
}

/**
 * The longest run of plain characters in a glob body without bracket sets, lower case: every
 * path it matches holds it. Slashes are left out (the one before a trailing `/**` is optional).
 */
function literalRun(body: string): string {
  const lower = body.toLowerCase();
  let best = '';
  let start = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = lower[i];
    if (i < lower.length && c !== '/' && c !== '*' && c !== '?') continue;
    if (i - start > best.length) best = lower.slice(start, i);
    start = i + 1;
  }
  return best;
}

/** `text` without the trailing run of `char`. Loops, not expressions: these run for every glob at each start. */
function withoutTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** The longest run of literal steps every match must contain (runs inside optional groups do not count). */
function longestLiteral(steps: Step[]): string {
  let best = '';
  let current = '';
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.k === 'c') {
      current += step.c;
      if (current.length > best.length) best = current;
      continue;
    }
    current = '';
    if (step.k === 'group') i = step.skip - 1;
  }
  return best;
}

/** `(?:.*\/)?`: nothing, or any run ending in a slash. */
function optionalDirs(steps: Step[]): void {
  const group: Step = { k: 'group', skip: 0 };
  steps.push(group, { k: 'any' }, { k: 'c', c: '/' });
  group.skip = steps.length;
}

function globBody(body: string, steps: Step[]): void {
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '*' && body[i + 1] === '*') {
      const atStart = i === 0 || body[i - 1] === '/';
      if (atStart && body[i + 2] === '/') {
        optionalDirs(steps);
        i += 2;
      } else if (atStart && i + 2 === body.length && i > 0) {
        // `dir/**`: the directory itself or anything below it.
        steps.pop();
        const group: Step = { k: 'group', skip: 0 };
        steps.push(group, { k: 'c', c: '/' }, { k: 'any' });
        group.skip = steps.length;
        i += 1;
      } else {
        steps.push({ k: 'any' });
        i += 1;
      }
    } else if (c === '*') steps.push({ k: 'star' });
    else if (c === '?') steps.push({ k: 'one' });
    else if (c === '[' && body.indexOf(']', i + 1) > i) {
      const end = body.indexOf(']', i + 1);
      steps.push(bracket(body.slice(i + 1, end)));
      i = end;
    } else steps.push({ k: 'c', c: c.toLowerCase() });
  }
}

function bracket(inner: string): Step {
  const negate = inner.startsWith('!') || inner.startsWith('^');
  const set = (negate ? inner.slice(1) : inner).toLowerCase();
  const ranges: string[] = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      if (set[i]! > set[i + 2]!) throw new Error(`the glob range ${set.slice(i, i + 3)} is out of order`);
      ranges.push(set[i]! + set[i + 2]!);
      i += 2;
    } else ranges.push(set[i]! + set[i]!);
  }
  return { k: 'class', ranges, negate };
}

/** Simulates the glob as an automaton: the set of live steps advances one character at a time. */
function run(steps: Step[], text: string): boolean {
  const n = steps.length;
  let live = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  const add = (set: Uint8Array, at: number) => {
    // Epsilon moves: optional runs and groups may be skipped.
    while (at <= n && !set[at]) {
      set[at] = 1;
      const step = steps[at];
      if (!step) return;
      if (step.k === 'group') {
        add(set, step.skip);
        at++;
      } else if (step.k === 'star' || step.k === 'any') at++;
      else return;
    }
  };
  add(live, 0);
  for (let i = 0; i < text.length; i++) {
    tick();
    const ch = text[i]!;
    next.fill(0);
    let any = false;
    for (let at = 0; at < n; at++) {
      if (!live[at]) continue;
      const step = steps[at]!;
      let ok = false;
      let stay = false;
      switch (step.k) {
        case 'c':
          ok = step.c === ch;
          break;
        case 'one':
          ok = ch !== '/';
          break;
        case 'star':
          stay = ch !== '/';
          break;
        case 'any':
          stay = true;
          break;
        case 'class': {
          let hit = false;
          for (const r of step.ranges) if (ch >= r[0]! && ch <= r[1]!) hit = true;
          ok = hit !== step.negate;
          break;
        }
        case 'group':
          break;
      }
      if (stay) {
        add(next, at);
        any = true;
      }
      if (ok) {
        add(next, at + 1);
        any = true;
      }
    }
    if (!any) return false;
    [live, next] = [next, live];
  }
  return live[n] === 1;
}

function trimSlash(dir: string): string {
  return dir.length > 1 ? withoutTrailing(dir, '/') : '';
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
