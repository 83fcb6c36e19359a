/**
 * Whether Claude Code's OS sandbox can run on this machine: about the developer's machine, not
 * the repo, so doctor reports it apart from drift. The probe lives in io/sandbox-readiness.ts.
 */
export interface MachineReadiness {
  platform: 'linux' | 'wsl' | 'macos' | 'windows' | 'other';
  /** The sandbox can start: its programs are on PATH and (Linux) a user namespace works. */
  ready: boolean;
  /** Programs the sandbox needs that are not on PATH. */
  missing: string[];
  /** Why it cannot run when nothing is missing (e.g. user namespaces disabled). */
  problem?: string;
  /** The one command that installs what is missing. */
  install?: string;
}

/** The layers that stand between the agent and a secret on this machine. */
export function liveLayers(readiness: MachineReadiness | undefined, sandboxed: boolean): string[] {
  const layers = ['permission rules (Read/Edit)', 'guard hook'];
  if (sandboxed && readiness?.ready) layers.push('OS sandbox');
  return layers;
}

/** One line for doctor and init. */
export function readinessLine(readiness: MachineReadiness, sandboxed: boolean): string {
  const layers = `layers live here: ${liveLayers(readiness, sandboxed).join(', ')}`;
  if (!sandboxed) return `machine: the spine does not turn the OS sandbox on; ${layers}`;
  if (readiness.ready) return `machine: OS sandbox ready (${readiness.platform}); ${layers}`;
  const why = readiness.missing.length
    ? `${readiness.missing.join(' and ')} not on PATH`
    : (readiness.problem ?? 'not supported on this platform');
  const install = readiness.install ? `; install: ${readiness.install}` : '';
  return `machine: OS sandbox NOT available (${why})${install}; ${layers} — Bash commands run unsandboxed`;
}
