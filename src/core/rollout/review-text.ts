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

/** The branch a release's onboarding request lives on. */
export function onboardBranch(version: string): string {
  return `spine/onboard-v${version}`;
}

export interface OnboardFacts {
  spine: string;
  version: string;
  team: string;
  changes: { path: string; action: string }[];
  toolchains: string[];
  launchDirs: string[];
  /** What init found it cannot fix for the team (tracked secrets, an ignored CLAUDE.md…). */
  findings: { severity: string; code: string; path: string; message: string; fix: string }[];
}

export function onboardTitle(facts: Pick<OnboardFacts, 'version'>): string {
  return `spine: onboard to v${facts.version}`;
}

export function onboardCommitText(facts: OnboardFacts): string {
  return `${onboardTitle(facts)}\n\n${ROLLOUT_TRAILER}: onboard-v${facts.version}\n`;
}

/** The onboarding request's body: what `spine init` wrote, what it found, what the team decides. */
export function onboardBody(facts: OnboardFacts): string {
  const lines = [
    `This onboards the repository to the organisation's spine (${facts.spine} v${facts.version}), as \`spine init\` would: the guardrails every team inherits, the shared skills and the glossary.`,
    '',
    '**The team decides.** Before merging, name the champion who owns this setup in `.spine/local.yaml` (`champion: "@handle"`) and check the team name (`' +
      facts.team +
      '`). Closing this request declines it; nothing asks again until the next release.',
    '',
  ];
  if (facts.findings.length > 0) {
    lines.push(
      `\`spine init\` found ${facts.findings.length} thing(s) it cannot fix for the team:`,
      '',
      ...facts.findings.map(
        (f) => `- **${f.severity}** \`${f.code}\` \`${f.path}\`: ${f.message}; fix: ${f.fix}`,
      ),
      '',
    );
  }
  if (facts.toolchains.length > 0)
    lines.push(`Toolchains opened in the sandbox for this repository: ${facts.toolchains.join(', ')}.`, '');
  if (facts.launchDirs.length > 0)
    lines.push(
      `Directories agents start from, each given the spine's settings: ${facts.launchDirs.map((d) => `\`${d}\``).join(', ')}.`,
      '',
    );
  lines.push(
    '| change | path |',
    '| --- | --- |',
    ...facts.changes.map((c) => `| ${c.action} | \`${c.path}\` |`),
    '',
    'Opened by `spine rollout --onboard`; rerunning it updates this request instead of opening another.',
  );
  return `${lines.join('\n')}\n`;
}
