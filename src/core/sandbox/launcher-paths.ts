/**
 * Places under the home directory that a toolchain path may open for writing only where the same
 * spine keeps them read-only: directories holding programs a person runs later outside the sandbox
 * (inside caches the toolchain groups open), and spine's own stores on this machine. A deny inside
 * an allowed directory wins in the client (docs/sandbox.md), so the spine's own `denyWrite` on the
 * place (or on a directory holding it) makes the write safe; an org spine that dropped the deny
 * would hand the agent the person's next `npx`, `git commit` or `spine update`.
 */
export const LAUNCHER_HOME_PATHS: readonly (readonly [path: string, why: string, instead: string])[] = [
  [
    '~/.cache/node/corepack',
    "corepack's package-manager binaries, which a corepack shim runs outside the sandbox",
    'a person runs the package manager once outside the agent, so corepack installs the version the project names',
  ],
  [
    '~/.cache/pre-commit',
    'pre-commit\'s hook environments, which "git commit" runs outside the sandbox',
    'a person runs "pre-commit install-hooks" once outside the agent',
  ],
  [
    '~/.npm/_npx',
    'the packages "npx <pkg>" runs outside the sandbox',
    'a person runs the npx command once outside the agent, or the project makes the package a devDependency',
  ],
  [
    '~/.cache/spine',
    "spine's cached spine clones and memo, which the next spine update trusts",
    'only spine writes there, run by a person: nothing to open',
  ],
  [
    '~/.local/state/spine',
    "spine's transaction seals, which the next spine command trusts",
    'only spine writes there, run by a person: nothing to open',
  ],
];

/**
 * The launcher directory or spine store a path is or lies inside (not one it holds): a write
 * refused there is refused on purpose. With why and what to do instead.
 */
export function launcherPlaceOf(path: string): { place: string; why: string; instead: string } | undefined {
  const target = normalise(path);
  const found = LAUNCHER_HOME_PATHS.find(([place]) => covers(place, target));
  return found && { place: found[0], why: found[1], instead: found[2] };
}

/** The launcher directories and spine stores a path holds (`~/.npm` → `~/.npm/_npx`). */
export function launcherPlacesIn(path: string): string[] {
  const target = normalise(path);
  return LAUNCHER_HOME_PATHS.filter(([place]) => place !== target && covers(target, place)).map(([p]) => p);
}

/** `~/a/b/` → `~/a/b`. */
function normalise(path: string): string {
  return path.replace(/\/+$/, '');
}

/** `outer` is `inner` or a directory holding it. */
function covers(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}

/**
 * Why a toolchain write path must not be writable with this spine: it is, holds or lies inside a
 * launcher directory or spine store that none of `denyWrite` (the spine's sandbox `denyWrite`
 * entries, `~/…` form; wildcards deny nothing here) keeps read-only. Undefined: nothing found.
 */
export function launcherPathProblem(path: string, denyWrite: readonly string[]): string | undefined {
  const target = normalise(path);
  const denied = denyWrite.filter((d) => d.startsWith('~/') && !/[*?[\]{}]/.test(d)).map(normalise);
  for (const [place, why] of LAUNCHER_HOME_PATHS) {
    const inside = covers(place, target);
    if (!inside && !covers(target, place)) continue;
    // Inside the place, the write is only safe if the deny covers the write itself.
    const kept = denied.some((d) => covers(d, inside ? target : place));
    if (kept) continue;
    const relation = target === place ? 'it is' : inside ? 'it lies inside' : 'it holds';
    return `${relation} ${place} (${why}) and no locked guardrail of the spine denies writes to ${place}`;
  }
  return undefined;
}
