import type { ChangelogSection } from '../update/changelog.js';
import type { FileRow } from '../update/types.js';

/** The branch a release's update request lives on: one per release, so a rerun finds it again. */
export function rolloutBranch(version: string): string {
  return `spine/update-v${version}`;
}

/** The trailer that marks a commit as spine's own, so a person's commit on the branch is kept. */
export const ROLLOUT_TRAILER = 'Spine-Rollout';

export interface ReviewFacts {
  from: string;
  to: string;
  changelog: ChangelogSection[];
  files: FileRow[];
  conflicts: string[];
  doctor?: { error: number; warning: number; info: number };
}

export function reviewTitle(facts: Pick<ReviewFacts, 'to'>): string {
  return `spine: update to v${facts.to}`;
}

export function commitText(facts: ReviewFacts): string {
  return `${reviewTitle(facts)} (from v${facts.from})\n\n${ROLLOUT_TRAILER}: v${facts.to}\n`;
}

/** The review body: why, what changed, what the champion must do, how the repo stands after. */
export function reviewBody(facts: ReviewFacts): string {
  const lines = [
    `This moves the repository from spine v${facts.from} to v${facts.to}, as \`spine update\` would.`,
    '',
  ];
  if (facts.conflicts.length > 0) {
    lines.push(
      `**It stopped on ${facts.conflicts.length} conflict(s)** — a team edit and the new version changed the same thing:`,
      '',
      ...facts.conflicts.map((c) => `- \`${c}\``),
      '',
      'To settle them, on this branch:',
      '',
      '```sh',
      `git fetch origin && git switch ${rolloutBranch(facts.to)}`,
      'spine resolve <path|key|id> --ours     # keep the team side, or --theirs for the new version',
      'spine update --continue',
      'git commit -am "spine: settle update conflicts" && git push',
      '```',
      '',
      'Then mark this request ready for review.',
      '',
    );
  }
  const changed = facts.files.filter((f) => f.status !== 'kept-deleted' && f.status !== 'kept-team-owned');
  if (changed.length > 0) {
    lines.push(
      '| change | path |',
      '| --- | --- |',
      ...changed.map((f) => `| ${f.status} | \`${f.path}\` |`),
      '',
    );
  }
  if (facts.doctor) {
    const d = facts.doctor;
    lines.push(
      `\`spine doctor\` on this branch: ${d.error} error(s), ${d.warning} warning(s), ${d.info} note(s).`,
      '',
    );
  }
  if (facts.changelog.length > 0) {
    lines.push(
      '<details><summary>What changed in the spine</summary>',
      '',
      ...facts.changelog.map((s) => s.text),
      '',
      '</details>',
      '',
    );
  }
  lines.push('Opened by `spine rollout`; rerunning it updates this request instead of opening another.');
  return `${lines.join('\n')}\n`;
}
