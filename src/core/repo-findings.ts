import type { Finding } from './findings.js';

/** What git holds and would pick up (read by `team/git-status-files`). */
export interface GitFileFacts {
  /** Paths in the index or in HEAD's tree (a secret staged or committed is in git's objects). */
  tracked: string[];
  /** Untracked paths git does not ignore: `git add -A` would take them. */
  untrackedNotIgnored: string[];
  /** `CLAUDE.md` is untracked and ignored: the spine block would never reach teammates. */
  claudeMdIgnored: boolean;
}

export const LOCAL_SETTINGS = '.claude/settings.local.json';

const make = (
  code: string,
  severity: Finding['severity'],
  category: Finding['category'],
  path: string,
  message: string,
  fix: string,
): Finding => ({ code, severity, category, path, message, fix });

/**
 * What the repository's git state does to the guardrails, found the same way by `init` (one line
 * each) and `doctor` (one finding each): a secret git holds (the sandbox hides the work-tree file,
 * not git's objects: `git show :.env` prints it), a secret git would take, a CLAUDE.md git
 * ignores, a personal settings file committed.
 */
export function repoFindings(facts: GitFileFacts, isSecret: (path: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const path of facts.tracked.filter(isSecret)) {
    findings.push(
      make(
        'secret-tracked',
        'error',
        'secrets',
        path,
        "secret file tracked by git: the sandbox hides the file, not git's copy (git show prints it)",
        `git rm --cached ${path}, add it to .gitignore and commit; rotate the secret; if it ever left this machine (pushed), rewrite history (git filter-repo) and treat it as leaked`,
      ),
    );
  }
  for (const path of facts.untrackedNotIgnored.filter(isSecret)) {
    findings.push(
      make(
        'secret-not-ignored',
        'warning',
        'secrets',
        path,
        'secret file not ignored by git: one git add -A commits it (inside the sandbox it is masked, and git add -A fails on it)',
        `add ${path} to .gitignore`,
      ),
    );
  }
  if (facts.claudeMdIgnored) {
    findings.push(
      make(
        'claude-md-ignored',
        'warning',
        'claude-md',
        'CLAUDE.md',
        '.gitignore ignores CLAUDE.md: the spine block never reaches teammates',
        'add "!CLAUDE.md" to .gitignore (or drop the rule that ignores it) and commit CLAUDE.md',
      ),
    );
  }
  if (facts.tracked.includes(LOCAL_SETTINGS)) {
    findings.push(
      make(
        'local-settings-tracked',
        'warning',
        'settings',
        LOCAL_SETTINGS,
        'the personal settings file is committed: it applies to everyone, and the client drops its allow rules while git tracks it',
        `git rm --cached ${LOCAL_SETTINGS}, add it to .gitignore and commit (move shared settings to .claude/settings.json)`,
      ),
    );
  }
  return findings;
}
