import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { publishable } from '../../core/rollout/classify.js';
import { entriesOfFile, parseTargets, type RawEntry, type TargetList } from '../../core/rollout/targets.js';
import { ExitError, UserError } from '../../errors.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { mapLimit } from './map-limit.js';
import { publishOnboarding } from './onboard.js';
import { orgEntries } from './org-targets.js';
import { printRollout } from './print.js';
import { type PublishOutcome, publishRepo } from './publish.js';
import { type Previewed, previewRepo, type RolloutRow } from './repo.js';

export interface RolloutOptions extends BaseOptions {
  repos: string[];
  /** A file listing repositories, one per line. */
  fromFile?: string;
  /** Every repository of a forge organisation or group: `github:acme`, `gitlab:acme/platform`. */
  org?: string;
  /** With org: repository name globs and topics to keep. */
  match?: string[];
  topics?: string[];
  /** With org: GitHub custom properties, `name=value`, all of which a repository must have. */
  properties?: string[];
  to?: string;
  publish: boolean;
  offline: boolean;
  concurrency: number;
  /** --onboard --spine <source>: open an onboarding request where a repository has no spine. */
  onboard?: string;
}

export interface RolloutResult {
  schemaVersion: 1;
  action: 'preview' | 'publish';
  rows: (RolloutRow & { publish?: PublishOutcome })[];
  duplicates: TargetList['duplicates'];
  invalid: TargetList['invalid'];
  counts: Record<string, number>;
}

/** The repositories named on the command line and in --from-file, parsed and de-duplicated. */
export async function readTargetList(
  options: Pick<
    RolloutOptions,
    'repos' | 'fromFile' | 'org' | 'match' | 'topics' | 'properties' | 'cwd' | 'env'
  >,
): Promise<TargetList> {
  const entries: RawEntry[] = options.repos.map((text, i) => ({ text, origin: `argument ${i + 1}` }));
  if (options.fromFile) {
    const file = resolve(options.cwd, options.fromFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(
        `cannot read the repository list: ${(error as NodeJS.ErrnoException).code ?? error}`,
        {
          file: options.fromFile,
        },
      );
    }
    entries.push(...entriesOfFile(options.fromFile, text));
  }
  if (options.org) {
    entries.push(
      ...(await orgEntries({
        org: options.org,
        match: options.match ?? [],
        topics: options.topics ?? [],
        properties: options.properties ?? [],
        env: options.env,
      })),
    );
    if (entries.length === 0)
      throw new UserError(`no repository of ${options.org} matches`, { file: options.org });
  }
  if (entries.length === 0) {
    throw new UserError(
      'name the repositories to roll out to: paths, git URLs or github:owner/name, or --from-file <list>',
    );
  }
  return parseTargets(entries, (path) => resolve(options.cwd, path), {
    github: options.env.GITHUB_SERVER_URL,
    gitlab: options.env.GITLAB_SERVER_URL,
  });
}

/**
 * Moves a fleet to a spine release. The preview (default) clones each repository and asks
 * `spine update --dry-run` what it would do, writing nothing anywhere; --publish then opens or
 * refreshes one update request per repository. Before anything is pushed every repository to be
 * published must have a working forge token: a fleet is never half-published for want of one.
 */
export async function rollout(options: RolloutOptions): Promise<RolloutResult> {
  const list = await readTargetList(options);
  const previews = await mapLimit(list.targets, options.concurrency, (target) =>
    previewRepo(target, { ...options }),
  );
  try {
    const rows: RolloutResult['rows'] = previews.map((p) => ({ ...p.row }));
    if (options.publish) {
      assertPublishable(previews);
      const outcomes = await mapLimit(previews, options.concurrency, async (p) =>
        publishable(p.row.state)
          ? publishRepo(p, { ...options })
          : p.row.onboard
            ? publishOnboarding(p, { ...options })
            : undefined,
      );
      outcomes.forEach((outcome, i) => {
        if (outcome) rows[i]!.publish = outcome;
      });
    }
    return {
      schemaVersion: 1,
      action: options.publish ? 'publish' : 'preview',
      rows,
      duplicates: list.duplicates,
      invalid: list.invalid,
      counts: countStates(rows),
    };
  } finally {
    for (const p of previews) p.clone?.remove();
  }
}

/** Every repository that would get a request has a forge and a token the forge accepts. */
function assertPublishable(previews: Previewed[]): void {
  const blocked = previews
    .filter((p) => publishable(p.row.state) || p.row.onboard)
    .map((p) => {
      if (!p.row.forge) return `${p.row.input}: no forge repository known (follow it with github:owner/name)`;
      if (p.cannotPublish) return `${p.row.forge}: ${p.cannotPublish}`;
      return undefined;
    })
    .filter((line): line is string => line !== undefined);
  if (blocked.length > 0) {
    throw new UserError(
      `cannot publish to ${blocked.length} repository(ies), so nothing was published: ${blocked[0]}`,
    );
  }
}

function countStates(rows: RolloutResult['rows']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const key = row.publish
      ? 'published' in row.publish
        ? 'published'
        : 'declined' in row.publish
          ? 'declined'
          : 'publish-failed'
      : row.state;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export async function runRollout(options: RolloutOptions, out: Output): Promise<void> {
  const result = await rollout(options);
  if (out.isJson) out.json(result);
  else printRollout(result, out);
  const failed = result.rows.some(
    (r) => r.state === 'failed' || r.state === 'unreachable' || (r.publish && 'failed' in r.publish),
  );
  if (failed) throw new ExitError(1);
}
