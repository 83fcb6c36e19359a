import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { gitdir, tempDir } from './gitdir.js';
import { runCli } from './run-cli.js';

/** Shared by the doctor tests: a freshly onboarded repo per test, and doctor's JSON report. */

export interface JsonFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  category: string;
  path: string;
  message: string;
  fix: string;
  line?: number;
  guardrail?: string;
}
export interface Report {
  schemaVersion: number;
  findings: JsonFinding[];
  summary: { error: number; warning: number; info: number };
  fixed: { path: string; action: string; note: string }[];
}

export const SETTINGS = '.claude/settings.json';
export const LOCAL_SETTINGS = '.claude/settings.local.json';

let base: string;

/** Call at the top of a test file: onboards one repo that onboarded() copies. */
export function onboardOnce(): void {
  beforeAll(async () => {
    base = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--team', 'payments', '--champion', '@alice', '--yes'], { cwd: base });
    expect(init.code).toBe(0);
  }, 60_000);
}

/** The onboarded repo itself: read it, never change it. */
export function pristineRepo(): string {
  return base;
}

/** A copy of the freshly onboarded repo, so each test mutates its own. */
export function onboarded(): string {
  const dir = tempDir('spine-doctor-');
  cpSync(base, dir, { recursive: true });
  return dir;
}

export function editJson(repo: string, file: string, edit: (value: any) => void): void {
  const path = join(repo, file);
  let value: any = {};
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {}
  edit(value);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function localYaml(waivers: string): string {
  return `team: payments\nchampion: "@alice"\nwaivers:\n${waivers}`;
}

export function inDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function doctor(repo: string, ...args: string[]) {
  const result = await runCli(['doctor', '--json', ...args], { cwd: repo });
  const report = result.stdout ? (JSON.parse(result.stdout) as Report) : undefined;
  return { ...result, report: report!, codes: report?.findings.map((f) => `${f.severity}:${f.code}`).sort() };
}

export const without = (list: string[], item: string) => list.filter((x) => x !== item);
