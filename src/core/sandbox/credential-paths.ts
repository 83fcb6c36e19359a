/**
 * Places under the home directory that a toolchain path may never open for writing: files that
 * hold registry or cloud credentials, and places from which code runs outside the sandbox later
 * (shell start-up files, directories on PATH, a tool's init scripts, the client's own settings).
 * Writing is enough to matter: a token file can be replaced by one the agent controls, and a
 * start-up file turns a sandboxed command into an unsandboxed one at the next login.
 */
export const PROTECTED_HOME_PATHS: readonly (readonly [path: string, why: string])[] = [
  ['~/.npmrc', 'npm registry tokens'],
  ['~/.yarnrc', 'Yarn registry tokens'],
  ['~/.yarnrc.yml', 'Yarn registry tokens'],
  ['~/.pypirc', 'PyPI upload tokens'],
  ['~/.netrc', 'passwords for every host it names'],
  ['~/.git-credentials', 'git host passwords and tokens'],
  ['~/.docker/config.json', 'container registry credentials'],
  ['~/.cargo/credentials', 'crates.io tokens'],
  ['~/.cargo/credentials.toml', 'crates.io tokens'],
  ['~/.cargo/config.toml', 'cargo configuration, which can hold registry tokens'],
  ['~/.cargo/config', 'cargo configuration, which can hold registry tokens'],
  ['~/.cargo/bin', 'programs on PATH, run outside the sandbox'],
  ['~/.m2/settings.xml', 'Maven server passwords'],
  ['~/.m2/settings-security.xml', 'the Maven master password'],
  ['~/.gradle/gradle.properties', 'Gradle repository and signing credentials'],
  ['~/.gradle/init.d', 'Gradle init scripts, run by every build'],
  ['~/.gradle/init.gradle', 'a Gradle init script, run by every build'],
  ['~/.config/gh', 'the GitHub CLI token'],
  ['~/.config/glab-cli', 'the GitLab CLI token'],
  ['~/.config/pip', 'pip configuration, which can hold index credentials'],
  ['~/.pip', 'pip configuration, which can hold index credentials'],
  ['~/.config/pypoetry', 'Poetry repository credentials'],
  ['~/.config/uv', 'uv configuration, which can hold index credentials'],
  ['~/.gem/credentials', 'RubyGems API keys'],
  ['~/.local/share/python_keyring', 'stored passwords'],
  ['~/.local/bin', 'programs on PATH, run outside the sandbox'],
  ['~/go/bin', 'programs on PATH, run outside the sandbox'],
  ['~/.ssh', 'SSH keys'],
  ['~/.gnupg', 'signing keys'],
  ['~/.aws', 'cloud credentials'],
  ['~/.azure', 'cloud credentials'],
  ['~/.kube', 'cluster credentials'],
  ['~/.config/gcloud', 'cloud credentials'],
  ['~/.claude', "Claude Code's own settings, which decide what the agent may do"],
  ['~/.claude.json', "Claude Code's own state, which decides which repos are trusted"],
  ['~/.bashrc', 'a shell start-up file, run outside the sandbox'],
  ['~/.bash_profile', 'a shell start-up file, run outside the sandbox'],
  ['~/.profile', 'a shell start-up file, run outside the sandbox'],
  ['~/.zshrc', 'a shell start-up file, run outside the sandbox'],
  ['~/.zprofile', 'a shell start-up file, run outside the sandbox'],
  ['~/.gitconfig', 'git configuration, which can name programs git runs'],
  ['~/.config/git', 'git configuration, which can name programs git runs'],
  ['~/.config/autostart', 'programs started at login'],
  ['~/.config/systemd', 'services started outside the sandbox'],
];

/** `~/a/b/` → `~/a/b`. */
function normalise(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * Why a directory must not become writable: it is a protected path, lies inside one, or holds
 * one (`~/.docker` holds config.json). `secretGlobs` are the spine's own secret paths; a `~/`
 * glob counts up to its first wildcard, a `**` glob by its last name. Undefined: nothing found.
 */
export function protectedPathProblem(path: string, secretGlobs: readonly string[] = []): string | undefined {
  const target = normalise(path);
  if (target === '~') return 'it is the whole home directory, which holds every credential file';
  const spineSecrets = secretGlobs.flatMap((glob): (readonly [string, string])[] => {
    if (glob.startsWith('~/')) {
      const literal = glob.split('/').filter((s, i) => i === 0 || !/[*?[\]]/.test(s));
      const cut = glob.split('/').findIndex((s) => /[*?[\]]/.test(s));
      const prefix = cut < 0 ? glob : glob.split('/').slice(0, cut).join('/');
      return literal.length > 1 ? [[normalise(prefix), `a secret path of the spine (${glob})`]] : [];
    }
    return [];
  });
  for (const [p, why] of [...PROTECTED_HOME_PATHS, ...spineSecrets]) {
    if (target === p) return `it is ${why}`;
    if (target.startsWith(`${p}/`)) return `it lies inside ${p} (${why})`;
    if (p.startsWith(`${target}/`)) return `it holds ${p} (${why})`;
  }
  const name = target.split('/').pop()!;
  for (const glob of secretGlobs) {
    const m = /^\*\*\/([^*?[\]/]+)$/.exec(glob);
    if (m && m[1] === name) return `its name is a secret of the spine (${glob})`;
  }
  return undefined;
}

/** A toolchain write path is a plain `~/…` directory: no wildcard, no `..`, nothing outside home. */
export function toolchainPathProblem(path: string): string | undefined {
  if (!path.startsWith('~/'))
    return 'a toolchain path is a directory under the home directory, written ~/...';
  if (/[*?[\]{}\\]/.test(path)) return 'a toolchain path names one directory: no wildcards';
  if (path.split('/').some((s) => s === '..' || s === '.')) return '"." and ".." segments are not allowed';
  if (path.includes('//')) return 'empty path segments are not allowed';
  return undefined;
}
