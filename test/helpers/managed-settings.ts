import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLAUDE_BIN } from './claude.js';
import { tempDir } from './gitdir.js';

/** Root and unshare: what a private mount namespace needs. */
export function canMountPrivately(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A program that runs `program` (the client under test by default) with its arguments and
 * `managed` installed as /etc/claude-code/managed-settings.json, in a private mount namespace: an
 * overlay on /etc that only that process tree sees, so the machine's own /etc is never touched.
 */
export function managedWrapper(managed: string, program: string = CLAUDE_BIN): string {
  const dir = tempDir('spine-managed-ns-');
  const script = join(dir, 'with-managed-settings');
  writeFileSync(
    script,
    `#!/bin/sh
set -e
d=$(mktemp -d "${dir}/ovl-XXXXXX")
mkdir -p "$d/u" "$d/w"
exec unshare -m sh -c '
  mount --make-rprivate / &&
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$0/u,workdir=$0/w" /etc &&
  mkdir -p /etc/claude-code && cp "$1" /etc/claude-code/managed-settings.json &&
  shift && exec "$@"' "$d" "${managed}" "${program}" "$@"
`,
  );
  chmodSync(script, 0o755);
  return script;
}
