import { basename, join } from 'node:path';
import type { Lock } from '../../core/lock/lock.js';
import { LOCK_FILE } from '../../core/render/desired-state.js';
import { type DayActivity, FACTS_VERSION, type Facts, type ZoneActivity } from '../../core/report/facts.js';
import { UserError } from '../../errors.js';
import { readIfExists } from '../../io/fs.js';
import { git } from '../../io/git.js';
import type { BaseOptions } from '../../options.js';
import { parseLocalConfig, parseLock, throwOnErrors } from '../../team/parse-team.js';
import { readTeamFiles } from '../../team/read-team.js';
import { readZoneMap } from '../../team/zones.js';
import { auditDirOf, rollUpAuditDir } from '../audit/rollup.js';
import { zoneOfDir } from '../doctor/launch-dirs.js';
import { emptyDoctorSummary, summariseDoctor } from './doctor-summary.js';
import { defaultBranch, readGitFacts, readZoneGitWeeks } from './git-facts.js';
import { installedSkills } from './skills.js';

export interface CollectOptions {
  base: BaseOptions;
  now: Date;
  tool: string;
  /** Skip doctor (the report's --no-doctor, benchmarks). */
  doctor: boolean;
  offline: boolean;
}

export interface Collected {
  facts: Facts;
  /** Why doctor could not run (its spine cannot be resolved, say): the facts hold no drift data. */
  doctorUnavailable?: string;
}

/**
 * One pass over a team repo: files, one process for git, the audit log, doctor. Counts only.
 * A repo whose own files are bad (an invalid lock) throws; a doctor that cannot run does not.
 */
export async function collectFacts(root: string, options: CollectOptions): Promise<Collected> {
  const team = readTeamFiles(root);
  const local = team.local ? await parseLocalConfig('.spine/local.yaml', team.local) : undefined;
  if (local) throwOnErrors(local.problems);
  const lock: Lock | undefined = team.lock ? await parseLock(LOCK_FILE, team.lock) : undefined;
  const branch = defaultBranch(root);

  const [{ weeks, lock: history }, remote] = await Promise.all([
    readGitFacts(root, branch, LOCK_FILE, options.now),
    originUrl(root),
  ]);
  const skills = installedSkills(root, lock);
  const zones = local?.config?.teams?.zones ?? [];
  const activity = await rollUpAuditDir(auditDirOf(root), {
    knownSkills: new Set(skills.map((s) => s.name)),
    ...(zones.length > 0 ? { zones: new Set(zones.map((z) => z.team)) } : {}),
  });
  let doctor = emptyDoctorSummary();
  let doctorUnavailable: string | undefined;
  if (options.doctor && lock) {
    try {
      doctor = await summariseDoctor(options.base, root, {
        offline: options.offline,
        today: options.now.toISOString().slice(0, 10),
        lockTouched: history.lastTouched ?? undefined,
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      doctorUnavailable = error.location ? `${error.location.file}: ${error.message}` : error.message;
      doctor = { ...doctor, unavailableReason: doctorUnavailable };
    }
  }

  const facts: Facts = {
    factsVersion: FACTS_VERSION,
    generatedAt: options.now.toISOString(),
    tool: options.tool,
    repo: {
      name: remote ? basename(remote).replace(/\.git$/, '') : basename(root),
      ...(remote ? { remote } : {}),
      branch: branch === 'HEAD' ? await currentBranch(root) : branch.replace(/^origin\//, ''),
    },
    team: local?.config?.team ?? null,
    champion: local?.config?.champion ?? null,
    spine: lock
      ? {
          name: lock.spine.name,
          version: lock.spine.version,
          source: lock.source.spec,
          ...(lock.source.url ? { url: lock.source.url } : {}),
          ...(lock.source.commit ? { commit: lock.source.commit } : {}),
        }
      : null,
    t0: history.t0,
    lockHistory: history.history,
    doctor,
    git: { weeks },
    skills,
    activity: activity
      ? {
          days: activity.days,
          ...(Object.keys(activity.samples).length > 0 ? { evaluationSamples: activity.samples } : {}),
        }
      : null,
  };
  if (zones.length > 0) {
    const repoTeam = facts.team ?? facts.repo.name;
    facts.zones = zoneActivity(zones, activity?.zones, repoTeam, facts.champion);
    const map = await readZoneMap(root, local?.config, team.local?.toString('utf8'));
    if (map) {
      const weeks = await readZoneGitWeeks(root, branch, options.now, zoneOfDir(root, map), repoTeam);
      for (const z of facts.zones) z.weeks = weeks.get(z.team) ?? [];
      const rest = weeks.get(repoTeam);
      if (rest?.length && !facts.zones.some((z) => z.team === repoTeam))
        facts.zones.push({ team: repoTeam, champion: facts.champion, days: [], weeks: rest });
    }
  }
  return doctorUnavailable ? { facts, doctorUnavailable } : { facts };
}

async function originUrl(root: string): Promise<string | undefined> {
  // Read .git/config directly where we can: one process fewer per repo over a fleet.
  const config = readIfExists(join(root, '.git', 'config'))?.toString('utf8');
  let url: string | undefined;
  if (config !== undefined) url = /\[remote "origin"\][^[]*?^\s*url\s*=\s*(.+)$/m.exec(config)?.[1]?.trim();
  else url = await git(root, ['config', '--get', 'remote.origin.url']).catch(() => undefined);
  // Never let a token embedded in a clone URL leave the machine.
  return url ? url.replace(/\/\/[^/@]*@/, '//') : undefined;
}

async function currentBranch(root: string): Promise<string> {
  const head = readIfExists(join(root, '.git', 'HEAD'))?.toString('utf8');
  const fromFile = head && /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1]?.trim();
  if (fromFile) return fromFile;
  return (await git(root, ['symbolic-ref', '--short', 'HEAD']).catch(() => '')) || 'HEAD';
}

export function nowFrom(env: Record<string, string | undefined>): Date {
  // SOURCE_DATE_EPOCH pins "now" for reproducible facts (and for tests).
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  return Number.isFinite(epoch) && env.SOURCE_DATE_EPOCH ? new Date(epoch * 1000) : new Date();
}

/** Every declared zone (with or without activity), then the records in no zone as the repo's team. */
function zoneActivity(
  zones: { team: string; champion?: string }[],
  days: Map<string, DayActivity[]> | undefined,
  repoTeam: string,
  repoChampion: string | null,
): ZoneActivity[] {
  const out: ZoneActivity[] = zones.map((z) => ({
    team: z.team,
    champion: z.champion ?? null,
    days: days?.get(z.team) ?? [],
  }));
  const rest = days?.get('');
  if (rest?.length) out.push({ team: repoTeam, champion: repoChampion, days: rest });
  return out;
}
