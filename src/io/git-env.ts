type Env = Record<string, string | undefined>;

/**
 * Git that never prompts (a missing credential is an error, not a hang) and never follows a
 * GIT_DIR, work tree or index inherited from a hook: it works on the repository it is given.
 */
export function nonInteractiveGitEnv(env: Env): Env {
  return {
    ...env,
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_INDEX_FILE: undefined,
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
  };
}
