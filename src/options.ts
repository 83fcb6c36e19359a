/** What every command receives: the world, injected, so nothing below reads process.* itself. */
export interface BaseOptions {
  cwd: string;
  json: boolean;
  color: boolean;
  /** Prompts are allowed: a TTY on stdin, no --yes, no CI. */
  interactive: boolean;
  env: Record<string, string | undefined>;
  /** Where remote spines are cached: $XDG_CACHE_HOME/spine, else ~/.cache/spine. */
  cacheDir: string;
  /**
   * spine's state on this machine, outside every repository: $XDG_STATE_HOME/spine, else
   * ~/.local/state/spine. Holds the seals that prove a journal in a repo is spine's.
   */
  stateDir: string;
  debug: boolean;
}
