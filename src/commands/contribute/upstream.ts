import type { LockSource } from '../../core/lock/lock.js';
import { LOCK_FILE } from '../../core/render/desired-state.js';
import { UserError } from '../../errors.js';
import { classifySpec } from '../../spine/sources/spec.js';

/** The git URL of the spine a team repo is onboarded with; only a git spine can take a proposal. */
export function spineRemoteUrl(source: LockSource, root: string): string {
  const spec = source.url ?? source.spec;
  const kind = classifySpec(spec, root);
  if (!kind || kind.kind === 'embedded') {
    throw new UserError(
      'this repository uses the embedded spine, which has no repository to propose to; onboard with "spine init --spine <git url>" first',
      { file: LOCK_FILE },
    );
  }
  if (kind.kind === 'directory') {
    throw new UserError(
      `the spine "${source.spec}" is a plain directory, not a git repository: there is nowhere to push a proposal`,
      { file: LOCK_FILE },
    );
  }
  return kind.url;
}
