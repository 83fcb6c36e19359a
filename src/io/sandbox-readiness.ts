import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync, readlinkSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { MachineReadiness } from '../core/sandbox/readiness.js';
import { memoJson, memoKey, readMemo } from './memo.js';

/**
 * Probes what Claude Code's sandbox needs (docs/sandbox.md): on Linux and WSL2 `bwrap` and
 * `socat` on PATH and an unprivileged user namespace (`bwrap --ro-bind / / true` succeeds); on
 * macOS `sandbox-exec`. Windows has no sandbox (WSL2 does).
 */
export async function probeSandbox(
  env: NodeJS.ProcessEnv = process.env,
  cacheDir?: string,
): Promise<MachineReadiness> {
  const platform = platformOf();
  if (platform === 'macos') {
    const missing = onPath('sandbox-exec', env) || canRun('/usr/bin/sandbox-exec') ? [] : ['sandbox-exec'];
    return { platform, ready: missing.length === 0, missing };
  }
  if (platform !== 'linux' && platform !== 'wsl') {
    return { platform, ready: false, missing: [], problem: 'no OS sandbox on this platform; use WSL2' };
  }
  const missing = ['bwrap', 'socat'].filter((p) => !onPath(p, env));
  if (missing.length > 0) return { platform, ready: false, missing, install: installCommand(missing) };
  const key = cacheDir === undefined ? undefined : probeKey(env);
  if (key && readMemo<true>(cacheDir, 'sandbox-probe', key)?.value === true) {
    return { platform, ready: true, missing: [] };
  }
  const run = await runBwrap(env);
  if (run.status === 0) {
    if (key) await memoJson(cacheDir, 'sandbox-probe', key, async () => true);
    return { platform, ready: true, missing: [] };
  }
  const detail = run.stderr.trim().split('\n')[0];
  return {
    platform,
    ready: false,
    missing: [],
    problem: `bwrap cannot create a user namespace (${detail || `exit ${run.status}`})`,
    install: 'sudo sysctl -w kernel.unprivileged_userns_clone=1',
  };
}

/**
 * `bwrap --ro-bind / / true`, without blocking: a command runs the probe beside its other work.
 * A bwrap that cannot start reads as its error message; one that hangs is killed after 5 s.
 */
function runBwrap(env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bwrap', ['--ro-bind', '/', '/', 'true'], {
      env,
      timeout: 5000,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => resolve({ status: null, stderr: error.message }));
    child.once('close', (status) => resolve({ status, stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/**
 * What a successful probe holds for: the bwrap binary found on PATH (its path and file identity),
 * this boot, kernel and user, the user and mount namespaces the command runs in (inside an
 * agent's sandbox bwrap cannot nest, and that is another namespace), and the kernel's switches
 * for unprivileged user namespaces. Only success is remembered, so a failure is probed again and
 * a fix shows at once; undefined (probe every time) where any part cannot be read.
 */
function probeKey(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const dir = (env.PATH ?? '').split(delimiter).find((d) => d !== '' && canRun(join(d, 'bwrap')));
    if (dir === undefined) return undefined;
    const bwrap = join(dir, 'bwrap');
    const s = statSync(bwrap, { bigint: true });
    const optional = (file: string) => {
      try {
        return readFileSync(file, 'utf8').trim();
      } catch {
        return '-';
      }
    };
    return memoKey(
      bwrap,
      [s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join(':'),
      readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
      readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
      String(process.getuid?.() ?? '-'),
      readlinkSync('/proc/self/ns/user'),
      readlinkSync('/proc/self/ns/mnt'),
      optional('/proc/sys/kernel/unprivileged_userns_clone'),
      optional('/proc/sys/user/max_user_namespaces'),
      optional('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    );
  } catch {
    return undefined;
  }
}

function platformOf(): MachineReadiness['platform'] {
  if (process.platform === 'darwin') return 'macos';
  if (process.platform === 'win32') return 'windows';
  if (process.platform !== 'linux') return 'other';
  try {
    return /microsoft/i.test(readFileSync('/proc/version', 'utf8')) ? 'wsl' : 'linux';
  } catch {
    return 'linux';
  }
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && canRun(join(dir, program)));
}

function canRun(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian names bwrap's package `bubblewrap`, as do Fedora, Arch and Alpine. */
function installCommand(missing: string[]): string {
  const packages = missing.map((p) => (p === 'bwrap' ? 'bubblewrap' : p)).join(' ');
  let os = '';
  try {
    os = readFileSync('/etc/os-release', 'utf8');
  } catch {
    // Unknown distribution: the Debian command is the most common.
  }
  if (/^ID(?:_LIKE)?=.*\b(?:fedora|rhel|centos)\b/m.test(os)) return `sudo dnf install -y ${packages}`;
  if (/^ID(?:_LIKE)?=.*\barch\b/m.test(os)) return `sudo pacman -S --noconfirm ${packages}`;
  if (/^ID(?:_LIKE)?=.*\balpine\b/m.test(os)) return `sudo apk add ${packages}`;
  return `sudo apt-get install -y ${packages}`;
}
