import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitdir, tempDir } from './gitdir.js';
import { EMBEDDED_SPINE } from './run-cli.js';

/** A copy of the embedded spine (in a directory named `spine`), changed by `mutate`. */
export function spineCopy(mutate: (dir: string) => void = () => {}, prefix = 'spine-copy-'): string {
  const dir = join(tempDir(prefix), 'spine');
  cpSync(EMBEDDED_SPINE, dir, { recursive: true });
  mutate(dir);
  return dir;
}

/** A git repository of the embedded spine: one commit, tagged `v1.0.0` (its release). */
export function releasedSpine(prefix = 'spine-origin-'): string {
  const dir = gitdir({}, prefix);
  cpSync(EMBEDDED_SPINE, dir, { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1.0.0');
  git(dir, 'tag', 'v1.0.0');
  return dir;
}

/** Edits one file of a fixture; an edit that changes nothing is a broken test, so it throws. */
export function editFile(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`fixture edit of ${path} changed nothing`);
  writeFileSync(file, after);
}

/**
 * A copy of the embedded spine with telemetry on; `settings` are the lines after `enabled: true`
 * (the default endpoint refuses connections, so a session end exports nothing anywhere).
 */
export function telemetrySpine(settings = 'endpoint: http://127.0.0.1:9\n  protocol: http/json'): string {
  return spineCopy((dir) =>
    editFile(dir, 'guardrails/audit.yaml', (text) =>
      text.replace('telemetry:\n  enabled: false', `telemetry:\n  enabled: true\n  ${settings}`),
    ),
  );
}

/** Telemetry to a collector that is never reached: for tests of what is written, not sent. */
export const OTEL_EXAMPLE = 'endpoint: https://otel.example.com:4318\n  logs: true';
