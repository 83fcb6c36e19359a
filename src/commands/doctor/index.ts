import { homedir } from 'node:os';
import { clientLine, type InstalledClient } from '../../core/client/support.js';
import {
  type Finding,
  type FindingSummary,
  findingsExitCode,
  sortFindings,
  summarise,
} from '../../core/findings.js';
import type { FileChange } from '../../core/plan.js';
import { type MachineReadiness, readinessLine } from '../../core/sandbox/readiness.js';
import { ExitError } from '../../errors.js';
import { withDigestMemo } from '../../io/digest-memo.js';
import type { Recovery, RepoWriter } from '../../io/transaction/index.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { loadContext } from './context.js';
import { type GuardrailTiers, guardrailTiers } from './guardrail-tiers.js';
import { runChecks } from './registry.js';

export interface DoctorOptions extends BaseOptions {
  strict: boolean;
  fix: boolean;
  /** With fix: replace managed files that have uncommitted changes too, keeping a backup. */
  force?: boolean;
  offline: boolean;
  /** Where to write a SARIF 2.1.0 report (absolute). */
  sarif?: string;
  /** YYYY-MM-DD; waivers expire against it (default: today, UTC). */
  today?: string;
}

export interface DoctorResult {
  schemaVersion: 1;
  root: string;
  spine: { name: string; version: string; source: string };
  findings: Finding[];
  summary: FindingSummary;
  /** What --fix wrote. */
  fixed: { path: string; action: FileChange['action'] | 'delete'; note: string }[];
  /** What --fix could not repair, and why. */
  skipped: { path: string; reason: string }[];
  /** Where --fix --force kept the content it replaced (repo-relative). */
  backup?: string;
  /** An interrupted earlier write this run finished or rolled back first. */
  recovered?: Recovery;
  exitCode: 0 | 1;
  /** Every launch directory (docs/monorepos.md) and whether it carries the spine's settings. */
  launchDirs: LaunchDirSummary[];
  /** Launch directory candidates doctor leaves alone, and why (excluded by the team, a link). */
  skippedLaunchDirs: { path: string; reason: string }[];
  /** The developer's machine, apart from repo drift: can the OS sandbox run here? */
  machine?: MachineReadiness & {
    sandboxed: boolean;
    line: string;
    client: InstalledClient;
    /** Which tier holds each guardrail here: managed settings reach every launch directory. */
    tiers: GuardrailTiers;
  };
}

export interface LaunchDirSummary {
  path: string;
  reasons: string[];
  /** Recorded in the lock (init or --fix guarded it). */
  recorded: boolean;
  state: 'guarded' | 'unguarded' | 'weakened';
  /** Its .claude/settings.json: present, missing, or one Claude Code drops. */
  settings: 'present' | 'missing' | 'dropped';
  /** The team zone whose sessions start here, in a repo teams share. */
  zone?: string;
  /** Spine entries not in force there, and entries weakened there. */
  missing: number;
  weakened: number;
}

/** Judges drift by its effect on the guardrails Claude Code will apply; --fix restores spine's own. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  if (!options.fix) return diagnose(options);
  const [{ withRepoWriter }, { findRoot }] = await Promise.all([
    import('../../io/transaction/index.js'),
    import('./context.js'),
  ]);
  return withRepoWriter(
    findRoot(options.cwd),
    { command: 'doctor --fix', stateDir: options.stateDir },
    async (writer) => ({
      ...(await diagnose(options, writer)),
      ...(writer.recovered ? { recovered: writer.recovered } : {}),
    }),
  );
}

async function diagnose(options: DoctorOptions, writer?: RepoWriter): Promise<DoctorResult> {
  const contextOptions = {
    cwd: options.cwd,
    offline: options.offline,
    cacheDir: options.cacheDir,
    stateDir: options.stateDir,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    client: (await import('../../io/claude-client.js')).probeClient(options.env),
    managedSettings: (await import('../../io/managed-settings.js')).readManagedSettings(),
    json: options.json,
    machine: {
      home: options.env.HOME || homedir(),
      stores: [
        { name: 'cache', dir: options.cacheDir, variable: 'XDG_CACHE_HOME' },
        { name: 'state', dir: options.stateDir, variable: 'XDG_STATE_HOME' },
      ],
      path: (await import('../../io/path-dirs.js')).personPathDirs(options.env, options.cwd),
    },
  };
  // bwrap starts while the repository is read.
  const readiness = import('../../io/sandbox-readiness.js').then(({ probeSandbox }) =>
    probeSandbox(options.env, options.cacheDir),
  );
  let ctx = await loadContext(contextOptions);
  let findings = runChecks(ctx);
  const fixed: DoctorResult['fixed'] = [];
  const skipped: DoctorResult['skipped'] = [];

  let backup: string | undefined;
  if (writer) {
    const [{ planFix }, { fillTemplate, readTemplate }, { protectDirty }] = await Promise.all([
      import('./fix-plan.js'),
      import('../../io/package-files.js'),
      import('./fix-dirty.js'),
    ]);
    const seed = fillTemplate(readTemplate('CLAUDE.md'), { TEAM: ctx.local.team ?? '' });
    const plan = planFix(ctx, findings, seed);
    skipped.push(...plan.skipped);
    if (plan.changes.length > 0 || plan.removals.length > 0) {
      const kept = await protectDirty(ctx, plan.changes, Boolean(options.force));
      backup = kept.dir;
      writer.apply([...kept.writes, ...plan.changes, ...plan.removals.map((path) => ({ path }))]);
      fixed.push(
        ...plan.changes.map(({ path, action, note }) => ({ path, action, note })),
        ...plan.removals.map((path) => ({
          path,
          action: 'delete' as const,
          note: 'the hook script of an earlier release, no longer run',
        })),
      );
      ctx = await loadContext(contextOptions);
      findings = runChecks(ctx);
    }
  }

  const sorted = sortFindings(findings);
  const sandboxed = ctx.entries.some((e) => e.entry.key === 'sandbox.enabled' && e.entry.value === true);
  const machineReadiness = await readiness;
  const tiers = guardrailTiers(
    ctx.entries.map((e) => e.entry),
    contextOptions.managedSettings,
  );
  return {
    machine: {
      ...machineReadiness,
      sandboxed,
      client: contextOptions.client,
      tiers,
      line: `${readinessLine(machineReadiness, sandboxed)}; ${clientLine(contextOptions.client)}`,
    },
    schemaVersion: 1,
    root: ctx.root,
    spine: { name: ctx.lock.spine.name, version: ctx.lock.spine.version, source: ctx.lock.source.spec },
    findings: sorted,
    summary: summarise(sorted),
    fixed,
    skipped,
    ...(backup ? { backup } : {}),
    exitCode: findingsExitCode(sorted, options.strict),
    launchDirs: ctx.launchDirs.map((d) => ({
      path: d.path,
      reasons: d.reasons,
      recorded: d.recorded,
      state: d.state,
      settings: d.file,
      missing: d.missing.length,
      weakened: d.weakened.length,
      ...(ctx.zoneOf(d.path) ? { zone: ctx.zoneOf(d.path) } : {}),
    })),
    skippedLaunchDirs: ctx.skippedLaunchDirs,
  };
}

export async function runDoctor(options: DoctorOptions, out: Output): Promise<void> {
  // `spine doctor` run by a person or CI takes every digest from its last run in this directory
  // and so never loads node:crypto; doctor run inside facts or rollout (clone after clone, each in
  // a new temporary directory) keeps no memo.
  const result = await withDigestMemo(options.cacheDir, options.cwd, () => doctor(options));
  if (result.recovered) out.err((await import('../../output/recovery.js')).formatRecovery(result.recovered));
  if (result.backup)
    out.err(`spine: the replaced content of files with uncommitted changes is kept in ${result.backup}/`);
  if (options.sarif) {
    const [{ sarifReport }, { writeAtomic }, { toolVersion }, { mkdirSync }, { dirname }] = await Promise.all(
      [
        import('../../output/reporters/sarif.js'),
        import('../../io/fs.js'),
        import('../../io/package-files.js'),
        import('node:fs'),
        import('node:path'),
      ],
    );
    const { CHECKS } = await import('./registry.js');
    const sarif = sarifReport(result.findings, { version: toolVersion(), codes: CHECKS.map((c) => c.code) });
    mkdirSync(dirname(options.sarif), { recursive: true });
    writeAtomic(options.sarif, `${JSON.stringify(sarif, null, 2)}\n`);
  }
  if (out.isJson) {
    const { jsonReport } = await import('../../output/reporters/json.js');
    out.json({ ...jsonReport(result), ...(result.machine ? { machine: result.machine } : {}) });
  } else {
    const { humanReport } = await import('../../output/reporters/human.js');
    for (const line of humanReport(result, out.color, { strict: options.strict })) out.out(line);
    if (result.machine) out.out(`\n${result.machine.line}\n${result.machine.tiers.line}`);
  }
  if (result.exitCode !== 0) throw new ExitError(result.exitCode);
}
