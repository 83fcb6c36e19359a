import { existsSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { addFacts, addUnreadable, createReportState } from '../../core/report/accumulator.js';
import type { Facts } from '../../core/report/facts.js';
import { finishReport } from '../../core/report/finish.js';
import { addKnownRepo, createKnownRepos } from '../../core/report/known-repos.js';
import type { Report } from '../../core/report/report-model.js';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../io/fs.js';
import { toolVersion } from '../../io/package-files.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { createProgress } from '../../output/progress.js';
import { readOriginUrl } from '../../team/origin.js';
import { parseSince } from '../audit/since.js';
import { nowFrom } from '../facts/collect.js';
import { createActivityJoin, telemetryNotes } from './activity-join.js';
import { expandFactsArgs, readFactsFile, repoKey } from './inputs.js';
import { orgAdoption } from './org-adoption.js';
import { readTelemetry } from './otel.js';
import { printReport } from './print.js';
import { releasesFromSpine } from './releases.js';
import { thresholdsFromSpine } from './thresholds-file.js';
import { runFactsWorkers } from './worker-pool.js';

export interface ReportOptions extends BaseOptions {
  repos: string[];
  facts: string[];
  /** OpenTelemetry Collector file-exporter output: files, directories or globs. */
  otel: string[];
  /** Unreadable telemetry lines are bad input (exit 2) instead of being skipped and counted. */
  strict: boolean;
  pioneer?: string;
  since?: string;
  html?: string;
  /** A local clone of the spine to read release tags from. */
  spine?: string;
  /** `github:acme` / `gitlab:group`: also count the organisation's repositories not given (adoption). */
  org?: string;
  /**
   * Worker processes computing team repos' facts at once (the CLI's default: one per core). Each
   * works on two repos at a time, so one waits on git while the other runs.
   */
  concurrency: number;
  doctor: boolean;
  offline: boolean;
}

/** Facts from team repos (bounded pool) and facts files, folded one at a time into the report. */
export async function report(options: ReportOptions): Promise<Report> {
  if (options.repos.length === 0 && options.facts.length === 0 && !options.org)
    throw new UserError(
      'give team repos to read, or --facts <file|dir|glob> collected elsewhere (with --otel for activity)',
      {
        file: options.cwd,
      },
    );
  const now = nowFrom(options.env);
  // Like audit --since: a day, an ISO time or a duration back from now (7d); the report counts days.
  const since =
    options.since === undefined ? undefined : parseSince(options.since, now).toISOString().slice(0, 10);
  const repos: string[] = [];
  // Repositories without the spine are part of the answer (adoption), not an error.
  const notOnboarded: string[] = [];
  for (const given of options.repos) {
    if (given === '') throw new UserError('an empty team repo path was given');
    const repo = resolve(options.cwd, given);
    if (!isDirectory(repo)) throw new UserError(`team repo not found: ${repo}`, { file: given });
    if (!existsSync(join(repo, '.git')))
      throw new UserError(`not a git repository: ${repo}`, { file: given });
    if (existsSync(join(repo, '.spine', 'lock.json'))) repos.push(repo);
    else if (!notOnboarded.includes(given)) notOnboarded.push(given);
  }
  if (repos.length === 0 && options.facts.length === 0 && !options.org)
    throw new UserError(
      `not onboarded yet (no .spine/lock.json): ${notOnboarded.join(', ')}; run spine init in one of them first, then report again`,
      { file: notOnboarded[0]! },
    );
  if (options.pioneer !== undefined && options.pioneer.trim() === '')
    throw new UserError('--pioneer needs a team name');
  const files = expandFactsArgs(options.cwd, options.facts);
  // Validate every file before anything is computed: bad input stops the run with nothing written.
  const newest = new Map<string, { file: string; at: string }>();
  // The repositories the report has: an organisation's repository among them is not looked at again.
  const known = createKnownRepos();
  for (const given of options.repos) {
    const repo = resolve(options.cwd, given);
    addKnownRepo(known, { name: basename(repo), remote: readOriginUrl(repo) });
  }
  for (const file of files) {
    const facts = await readFactsFile(file, relative(options.cwd, file) || file);
    addKnownRepo(known, facts.repo);
    const key = repoKey(facts);
    const seen = newest.get(key);
    if (!seen || facts.generatedAt > seen.at) newest.set(key, { file, at: facts.generatedAt });
  }

  const org = options.org ? await orgAdoption(options.org, known, options.env) : undefined;
  if (org) notOnboarded.push(...org.notOnboarded);
  if (repos.length === 0 && options.facts.length === 0 && !org?.onboardedOutside.length)
    throw new UserError(
      `no repository of ${options.org} is onboarded yet: run spine init in one of them first`,
      {
        file: options.org!,
      },
    );

  // The spine's thresholds are checked before any repo is read: a bad file costs nothing.
  const thresholds = options.spine ? await thresholdsFromSpine(options.cwd, [options.spine]) : undefined;
  const telemetry = options.otel.length
    ? await readTelemetry(options.cwd, options.otel, { workers: options.concurrency, strict: options.strict })
    : undefined;
  const activity = createActivityJoin(telemetry?.repos ?? []);

  const state = createReportState(since ?? null);
  const tool = toolVersion();
  const progress = createProgress('spine report');
  const total = repos.length + newest.size;
  let done = 0;
  await runFactsWorkers(
    repos,
    {
      workers: options.concurrency,
      setup: {
        base: options,
        now: now.toISOString(),
        tool,
        doctor: options.doctor,
        offline: options.offline,
      },
    },
    (outcome, repo) => {
      const path = relative(options.cwd, repo) || '.';
      if (outcome.kind === 'unreadable') addUnreadable(state, path, outcome.message);
      else addFacts(state, activity.join(outcome.facts), path, outcome.doctorUnavailable);
      progress.tick(++done, total);
    },
  );
  for (const { file } of newest.values()) {
    const facts: Facts = await readFactsFile(file, file);
    addFacts(state, activity.join(facts), facts.repo.remote ?? facts.repo.name);
    progress.tick(++done, total);
  }
  progress.done();

  const sources = [...(options.spine ? [options.spine] : []), ...state.spineSources];
  const releases = await releasesFromSpine(options.cwd, sources);
  if (options.pioneer !== undefined && !state.teams.has(options.pioneer)) {
    const known = [...state.teams.keys()].sort();
    throw new UserError(
      `--pioneer "${options.pioneer}" names no team in this report${known.length ? ` (teams: ${known.join(', ')})` : ''}`,
    );
  }
  const result = finishReport(state, {
    generatedAt: now.toISOString(),
    releases: releases?.releases,
    pioneer: options.pioneer,
    thresholds: thresholds ?? (await thresholdsFromSpine(options.cwd, [...state.spineSources])),
    notOnboarded,
    onboardedOutside: org?.onboardedOutside ?? [],
  });
  result.coverage.notes.push(...(org?.notes ?? []));
  result.coverage.activitySources = activity.sources();
  result.coverage.notes.push(...(releases?.notes ?? []));
  if (telemetry) {
    result.coverage.telemetry = telemetry.coverage;
    result.coverage.notes.push(...telemetryNotes(telemetry.coverage, activity.unmatched()));
  }
  return result;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function runReport(options: ReportOptions, out: Output): Promise<void> {
  const result = await report(options);
  if (options.html) {
    const { renderReportHtml } = await import('../../output/html/report-page.js');
    writeAtomic(resolve(options.cwd, options.html), renderReportHtml(result));
  }
  if (out.isJson) return out.json(result);
  printReport(result, out);
  if (options.html) out.out(`HTML report: ${options.html}`);
}
