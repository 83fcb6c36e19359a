import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANAGED_SETTINGS_DIRS } from '../core/export/managed-settings.js';

/** The file source of managed settings on this machine, as the client merges it. */
export interface ManagedSettingsOnMachine {
  /** The files read, base file first, then the drop-ins in name order. */
  files: string[];
  settings: Record<string, unknown>;
}

/**
 * Reads `managed-settings.json` and `managed-settings.d/*.json` (not dot-files, in name order,
 * deep-merged onto the base: objects merged, arrays concatenated) where the client reads them on
 * this platform. Undefined when there is none. A file that is not a JSON object is skipped, as the
 * client drops it. The admin console and MDM sources are not read (they take precedence when set).
 */
export function readManagedSettings(
  platform: NodeJS.Platform = process.platform,
): ManagedSettingsOnMachine | undefined {
  const dir =
    platform === 'darwin'
      ? MANAGED_SETTINGS_DIRS.macos
      : platform === 'linux'
        ? MANAGED_SETTINGS_DIRS.linux
        : undefined;
  if (!dir) return undefined;
  const candidates = [join(dir, 'managed-settings.json'), ...dropIns(join(dir, 'managed-settings.d'))];
  const files: string[] = [];
  let settings: Record<string, unknown> = {};
  for (const file of candidates) {
    const value = readObject(file);
    if (!value) continue;
    files.push(file);
    settings = deepMerge(settings, value);
  }
  return files.length ? { files, settings } : undefined;
}

function dropIns(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function readObject(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = out[key];
    if (Array.isArray(before) && Array.isArray(value)) out[key] = [...before, ...value];
    else if (isObject(before) && isObject(value)) out[key] = deepMerge(before, value);
    else out[key] = value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}
