import { basename } from 'node:path';
import { championProblem, defaultChampion } from '../../core/champion.js';
import type { Finding } from '../../core/findings.js';
import { describeAction, type FileChange } from '../../core/plan.js';
import type { Problem } from '../../core/problems.js';
import { CI_WORKFLOW, LOCK_FILE } from '../../core/render/desired-state.js';
import { renderDesiredState } from '../../core/render/render.js';
import { enabledToolchains, lockedToolchains, manifestNames } from '../../core/render/toolchains.js';
import { repoFindings } from '../../core/repo-findings.js';
import { repoIdFromUrl } from '../../core/repo-id.js';
import { secretFileMatcher } from '../../core/secret-files.js';
import { teamNameProblem } from '../../core/team-name.js';
import { UserError } from '../../errors.js';
import { gitConfig, gitTopLevel } from '../../io/git.js';
import {
  ciWorkflowContent,
  fillTemplate,
  readHookFiles,
  readTemplate,
  toolVersion,
} from '../../io/package-files.js';
import {
  executableInRepo,
  type Recovery,
  type RepoWriter,
  readInRepo,
  type TxnHooks,
  withRepoWriter,
} from '../../io/transaction/index.js';
import type { Output } from '../../output/output.js';
import { formatProblem } from '../../output/problems.js';
import { formatRecovery } from '../../output/recovery.js';
import { readGitFileFacts } from '../../team/git-status-files.js';
import { findManifests } from '../../team/manifests.js';
import { readOriginUrl } from '../../team/origin.js';
import { parseLocalConfig, parseLock, parseSettingsFile, throwOnErrors } from '../../team/parse-team.js';
import { readTeamFiles } from '../../team/read-team.js';
import { readZoneMap } from '../../team/zones.js';
import { type ReadSpine, readSpine, type SpineRequest } from '../shared/read-spine.js';
import { planLaunchDirs } from './launch-dir-plan.js';
import { planInit } from './plan.js';

export interface InitOptions extends SpineRequest {
  team?: string;
  champion?: string;
  dryRun: boolean;
  /** Also write the managed CI workflow (doctor → code scanning, facts → artifact). */
  ci?: 'github';
}

export interface InitResult {
  schemaVersion: 1;
  dryRun: boolean;
  root: string;
  spine: { name: string; version: string; source: string; commit?: string };
  team: string;
  champion: string;
  changes: { path: string; action: FileChange['action']; note: string }[];
  warnings: Problem[];
  /**
   * What init cannot fix for the team, each once (doctor reports the same): tracked or unignored
   * secrets, an ignored CLAUDE.md, a committed local settings file, a bypass default kept.
   */
  repo: Finding[];
  /** An interrupted earlier write this run finished or rolled back first. */
  recovered?: Recovery;
  /** Toolchain groups enabled for the repo's manifests: their caches and registries are open in the sandbox. */
  toolchains: string[];
  /** Directories agents start from, each given the spine's settings (docs/monorepos.md). */
  launchDirs: { path: string; reasons: string[] }[];
  /** Candidates left alone, and why (a link out of the repo, excluded by the team). */
  skippedLaunchDirs: { path: string; reason: string }[];
  /** Can the OS sandbox the spine turns on run on this machine (one line, shown once)? */
  machine?: { ready: boolean; line: string };
}

/** Onboards a repository: read everything, plan purely, then write all of it or nothing. */
export async function init(options: InitOptions, hooks: TxnHooks = {}): Promise<InitResult> {
  const finding = gitTopLevel(options.cwd);
  // The embedded spine needs nothing of the repository: it is read while git finds the repository.
  // Any other source (a clone, a fetch) is read only once the repository is known and locked.
  const embedded =
    options.spine === undefined || options.spine === 'embedded' ? readSpine(options) : undefined;
  embedded?.catch(() => {}); // awaited by onboard, unless the repository is refused first
  const root = await finding;
  if (!root) {
    throw new UserError('not a git repository: spine onboards git repositories (run "git init" first)', {
      file: options.cwd,
    });
  }
  if (options.dryRun) return onboard(root, options, embedded);
  return withRepoWriter(root, { command: 'init', stateDir: options.stateDir }, async (writer) => ({
    ...(await onboard(root, options, embedded, writer, hooks)),
    ...(writer.recovered ? { recovered: writer.recovered } : {}),
  }));
}

/** Reads the repo and the spine, plans, and (unless a dry run) writes it all in one transaction. */
async function onboard(
  root: string,
  options: InitOptions,
  embedded: Promise<ReadSpine> | undefined,
  writer?: RepoWriter,
  hooks: TxnHooks = {},
): Promise<InitResult> {
  const team = readTeamFiles(root);

  const { spine, source, warnings } = await (embedded ?? readSpine(options));

  const settings = team.settings
    ? await parseSettingsFile('.claude/settings.json', team.settings)
    : undefined;
  if (settings) warnings.push(...throwOnErrors(settings.problems));
  if (team.localSettings) {
    // Not ours to change, but a dropped local file voids nothing of spine's: warn only.
    const local = await parseSettingsFile('.claude/settings.local.json', team.localSettings);
    warnings.push(...local.problems.map((p) => ({ ...p, severity: 'warning' as const })));
  }
  const localConfig = team.local ? await parseLocalConfig('.spine/local.yaml', team.local) : undefined;
  if (localConfig) warnings.push(...throwOnErrors(localConfig.problems));
  const previousLock = team.lock ? await parseLock(LOCK_FILE, team.lock) : undefined;
  if (
    previousLock &&
    (previousLock.spine.name !== spine.manifest.name || previousLock.spine.version !== spine.manifest.version)
  ) {
    throw new UserError(
      `already onboarded with ${previousLock.spine.name} v${previousLock.spine.version}; use "spine update" to move to v${spine.manifest.version}`,
      { file: LOCK_FILE },
    );
  }

  const teamName = await chooseValue(
    options.team ?? localConfig?.config?.team,
    options,
    'Team name',
    basename(root),
  );
  const teamProblem = teamNameProblem(teamName);
  if (teamProblem) throw new UserError(`${teamProblem}: pass --team <name>`);
  const given = options.champion ?? localConfig?.config?.champion;
  const champion = await chooseValue(
    given,
    options,
    'Spine champion (who owns this setup)',
    given === undefined
      ? defaultChampion(
          { githubUser: await gitConfig(root, 'github.user'), email: await gitConfig(root, 'user.email') },
          options.interactive,
        )
      : '',
  );
  const championIssue = championProblem(champion);
  if (championIssue) throw new UserError(`${championIssue}: pass --champion <@handle>`);

  // git lists the repository for the launch directory scan while the spine is rendered.
  const { scanLaunchDirs } = await import('../../team/launch-dirs.js');
  const scanning = scanLaunchDirs(root, localConfig?.config?.launchDirs);
  scanning.catch(() => {}); // awaited by planLaunchDirs, unless rendering fails first
  // The CI workflow is managed once asked for: recorded in the lock, checked by doctor, kept by update.
  const toolchains = enabledToolchains(
    spine,
    findManifests(root, manifestNames(spine)),
    lockedToolchains(spine, previousLock?.settings.map((e) => e.id) ?? []),
  );
  const wantsCi = options.ci === 'github' || Boolean(previousLock?.files[CI_WORKFLOW]);
  const desired = renderDesiredState({
    spine,
    team: teamName,
    attribution: { champion: champion || undefined, repo: repoIdFromUrl(readOriginUrl(root)) },
    hookFiles: readHookFiles(),
    ciWorkflow: wantsCi ? ciWorkflowContent({ version: toolVersion(), ...spine.manifest.tool }) : undefined,
    toolchains,
    zones: await readZoneMap(root, localConfig?.config, team.local?.toString('utf8')),
  });
  const sandboxed = desired.settings.some((e) => e.key === 'sandbox.enabled' && e.value === true);
  // The sandbox probe (a bwrap run) goes on beside planning and writing; only its line is shown,
  // at the end. A plan refused before then leaves its answer unread.
  const machineProbe = sandboxed ? machineLine(options.env) : undefined;
  machineProbe?.catch(() => {});
  const existing = new Map(
    [...desired.files.map((f) => f.path), LOCK_FILE].map((p) => [p, readInRepo(root, p)] as const),
  );
  const executable = new Set(
    desired.files.filter((f) => existing.get(f.path) && executableInRepo(root, f.path)).map((f) => f.path),
  );
  const launchDirs = await planLaunchDirs(root, scanning, desired.settings, previousLock);
  warnings.push(...launchDirs.warnings);
  const plan = planInit({
    desired,
    launchDirs,
    existing,
    executable,
    settingsText: team.settings?.toString('utf8'),
    claudeMd: team.claudeMd?.toString('utf8'),
    gitignore: team.gitignore?.toString('utf8'),
    localExists: team.local !== undefined,
    localSeed: fillTemplate(readTemplate('local.yaml'), {
      TEAM: JSON.stringify(teamName),
      CHAMPION: JSON.stringify(champion),
      SCHEMA: `https://unpkg.com/agent-spine@${toolVersion()}/schemas/local.schema.json`,
    }),
    claudeSeed: fillTemplate(readTemplate('CLAUDE.md'), { TEAM: teamName }),
    previousLock,
    tool: toolVersion(),
    source,
    spine: { name: spine.manifest.name, version: spine.manifest.version },
  });
  if (plan.collisions.length > 0) {
    throw new UserError(
      `${plan.collisions.length} conflict(s): file(s) the spine manages already exist with other content; settle each (take the spine's copy, or rename yours), then run init again`,
      { file: plan.collisions[0]! },
      plan.collisions,
    );
  }
  writer?.apply(plan.changes, hooks);
  const repo = repoFindings(await readGitFileFacts(root), secretFileMatcher(spine));
  const machine = await machineProbe;
  const mode = (settings?.json?.value as { permissions?: { defaultMode?: unknown } } | undefined)?.permissions
    ?.defaultMode;
  if (mode === 'bypassPermissions') {
    repo.push({
      code: 'bypass-enabled',
      severity: 'error',
      category: 'permissions',
      path: '.claude/settings.json',
      message:
        'the team\'s permissions.defaultMode "bypassPermissions" is kept: every permission rule becomes a suggestion',
      fix: 'remove permissions.defaultMode or set it to "default"',
    });
  }

  return {
    schemaVersion: 1,
    dryRun: options.dryRun,
    root,
    spine: {
      name: spine.manifest.name,
      version: spine.manifest.version,
      source: source.spec,
      commit: source.commit,
    },
    team: teamName,
    champion,
    changes: plan.changes.map(({ path, action, note }) => ({ path, action, note })),
    warnings,
    toolchains: sandboxed ? toolchains : [],
    launchDirs: launchDirs.dirs,
    skippedLaunchDirs: launchDirs.skipped,
    repo,
    ...(machine ? { machine } : {}),
  };
}

async function machineLine(env: Record<string, string | undefined>) {
  const [{ probeSandbox }, { readinessLine }] = await Promise.all([
    import('../../io/sandbox-readiness.js'),
    import('../../core/sandbox/readiness.js'),
  ]);
  const readiness = await probeSandbox(env);
  return { ready: readiness.ready, line: readinessLine(readiness, true) };
}

async function chooseValue(
  given: string | undefined,
  options: InitOptions,
  question: string,
  fallback: string,
): Promise<string> {
  if (given !== undefined) return given;
  if (!options.interactive) return fallback;
  // The prompt library is most of a bundle's bytes: only an interactive init loads it.
  const { askText } = await import('../../io/prompts.js');
  return askText(question, fallback);
}

export async function runInit(options: InitOptions, out: Output): Promise<void> {
  const result = await init(options);
  if (out.isJson) return out.json(result);
  const c = out.color;
  if (result.recovered) out.err(formatRecovery(result.recovered));
  for (const w of result.warnings) out.err(formatProblem(w, c));
  for (const s of result.skippedLaunchDirs) out.err(`spine: launch directory ${s.path} skipped: ${s.reason}`);
  const verb = result.dryRun ? 'would write' : 'wrote';
  out.out(
    `${c.bold('spine init')}: ${result.spine.name} v${result.spine.version} for team ${result.team}` +
      (result.dryRun ? c.yellow(' (dry run: nothing written)') : ''),
  );
  if (result.changes.length === 0) {
    out.out('Already up to date: nothing to change.');
    if (result.machine) out.out(result.machine.line);
    printRepoFindings(result.repo, out);
    return;
  }
  for (const change of result.changes)
    out.out(`  ${describeAction({ ...change, content: Buffer.alloc(0) })}`);

  out.out(
    `${verb} ${result.changes.length} file(s). Next: commit them, then run ${c.cyan('spine doctor')} any time.`,
  );
  if (result.toolchains.length > 0)
    out.out(
      `toolchains: ${result.toolchains.join(', ')} (their caches and registries stay usable in the sandbox)`,
    );
  if (result.machine) out.out(result.machine.line);
  printRepoFindings(result.repo, out);
}

/** One line each: what init left for a person, with the fix (doctor keeps reporting it). */
function printRepoFindings(findings: Finding[], out: Output): void {
  for (const f of findings) out.out(`${f.severity} ${f.code}: ${f.path}: ${f.message}; fix: ${f.fix}`);
}

/**
 * The CI workflow goes through init's plan (all-or-nothing with the rest). It is not recorded in
 * the lock: lock paths are confined to .claude/. A file by that name that spine did not write
 * (no managed header) is a collision, never overwritten.
 */
