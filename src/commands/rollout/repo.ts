import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyUpdate, type PreviewState } from '../../core/rollout/classify.js';
import type { RolloutTarget } from '../../core/rollout/targets.js';
import { UserError } from '../../errors.js';
import type { ForgeAccess } from '../../io/forge/client.js';
import { ForgeError } from '../../io/forge/types.js';
import { CloneError, cloneRepo, type RepoClone } from '../../io/rollout-git.js';
import type { BaseOptions } from '../../options.js';
import { type UpdateResult, update } from '../update/index.js';
import { forgeAccess } from './forge-access.js';
import { planOnboarding } from './onboard.js';

export interface RolloutRow {
  name: string;
  input: string;
  /** Where the entry was listed (`repos.txt:4`, or `argument 2`). */
  origin: string;
  /** `github:owner/name` when the forge repository is known. */
  forge?: string;
  state: PreviewState;
  from?: string;
  to?: string;
  conflicts?: string[];
  /** Why it is unreachable, archived or failed. */
  reason?: string;
  /** With --onboard, for a repository without a spine: what `spine init` would write. */
  onboard?: { version: string; files: number; findings: string[] };
}

/** What the preview of one repository keeps for a publish that follows. */
export interface Previewed {
  row: RolloutRow;
  clone?: RepoClone;
  access?: ForgeAccess;
  /** Why this repository cannot be published: no token, or the forge refused the token. */
  cannotPublish?: string;
  update?: UpdateResult;
}

export interface RepoRequest extends BaseOptions {
  to?: string;
  offline: boolean;
  /** --onboard: the spine a repository without one is onboarded to (as `init --spine` takes). */
  onboard?: string;
}

/**
 * What `spine update` would do to one repository's default branch, in a fresh clone: nothing is
 * written anywhere the team can see. The clone is kept for a publish; the caller removes it.
 */
export async function previewRepo(target: RolloutTarget, request: RepoRequest): Promise<Previewed> {
  const row: RolloutRow = {
    name: target.name,
    input: target.input,
    origin: target.origin,
    state: 'failed',
    ...(target.forge ? { forge: `${target.forge.forge}:${target.forge.path}` } : {}),
  };
  const previewed: Previewed = { row };
  if (target.forge) {
    const got = await forgeAccess(target.forge, request.env);
    if ('missing' in got) previewed.cannotPublish = got.missing;
    else {
      previewed.access = got.access;
      try {
        const info = await got.access.client.preflight();
        if (info.archived) return { row: { ...row, state: 'archived', reason: 'archived on the forge' } };
        if (info.canPush === false) {
          previewed.cannotPublish =
            'the token cannot push to it (write access needed): grant it, or leave the repository out';
          row.reason = 'no write access for this token';
        }
      } catch (error) {
        if (!(error instanceof ForgeError)) throw error;
        if (error.kind === 'auth') previewed.cannotPublish = error.message;
        else return { row: { ...row, state: 'unreachable', reason: error.message } };
      }
    }
  }
  try {
    previewed.clone = await cloneRepo(target.source, request.env);
  } catch (error) {
    if (!(error instanceof CloneError)) throw error;
    return { row: { ...row, state: 'unreachable', reason: error.message } };
  }
  if (!existsSync(join(previewed.clone.dir, '.spine/lock.json'))) {
    row.state = 'not-onboarded';
    row.reason = 'no .spine/lock.json: onboard it with spine init';
    if (request.onboard) {
      try {
        const plan = await planOnboarding(previewed.clone.dir, request, row.name);
        row.onboard = {
          version: plan.spine.version,
          files: plan.changes.length,
          findings: plan.repo.map((f) => `${f.code} ${f.path}`),
        };
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        row.reason = `cannot onboard: ${error.message}`;
      }
    }
    return previewed;
  }
  try {
    const result = await update({
      ...request,
      json: true,
      cwd: previewed.clone.dir,
      to: request.to,
      dryRun: true,
      diff: false,
      allowDirty: false,
      offline: request.offline,
      continue: false,
      abort: false,
    });
    const { state, conflicts } = classifyUpdate(result);
    Object.assign(row, { state, from: result.from.version, to: result.to.version });
    if (conflicts.length > 0) row.conflicts = conflicts;
    previewed.update = result;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    row.state = 'failed';
    // The clone's temporary path means nothing to the reader: name the file inside the repo.
    const file = error.location?.file.replace(`${previewed.clone.dir}/`, '');
    row.reason = file && file !== previewed.clone.dir ? `${file}: ${error.message}` : error.message;
  }
  return previewed;
}
