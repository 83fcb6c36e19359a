import type { Output } from '../../output/output.js';
import { type ContributeOptions, contribute } from './index.js';

export async function runContribute(options: ContributeOptions, out: Output): Promise<void> {
  const result = await contribute(options);
  if (out.isJson) return out.json(result);
  const c = out.color;
  for (const w of result.warnings) out.err(`${c.yellow('warning')} ${w}`);
  const what = `${result.update ? 'update of' : 'new'} skill ${c.bold(result.skill)}`;

  if (result.files.length === 0) {
    out.out(
      `spine contribute: the spine's ${result.base} already has exactly this skill; nothing to propose.`,
    );
    return;
  }
  if (result.dryRun) {
    out.out(`${c.bold('spine contribute')}: ${what} ${c.yellow('(dry run: nothing pushed, no API called)')}`);
    out.out(`  branch: ${result.branch} (from ${result.base})`);
    out.out(`  push to: ${result.pushUrl}`);
    for (const d of result.nearDuplicates) out.out(`  similar upstream skill: ${d.name} (${d.reason})`);
    out.out('');
    out.out(result.diff);
    out.out('');
    out.out(c.bold(`Pull request: ${result.title}`));
    out.out('');
    out.out(result.body);
    return;
  }

  out.out(`${c.bold('spine contribute')}: ${what} → ${result.spine.name}`);
  if (result.update) {
    out.out('');
    out.out(result.diff);
    out.out('');
  }
  const short = result.commit?.slice(0, 12);
  const pushed = {
    created: `pushed branch ${result.branch} (${short}) to ${result.pushUrl}`,
    updated: `updated branch ${result.branch} (${short}) in ${result.pushUrl}`,
    unchanged: `branch ${result.branch} already up to date (${short})`,
    none: '',
  }[result.push];
  out.out(pushed);
  if (result.pr) {
    const { number, url } = result.pr;
    out.out(
      result.pr.created
        ? `opened pull request #${number}: ${c.cyan(url)}`
        : `pull request already open (#${number}${result.pr.updated ? ', title and description updated' : ''}): ${c.cyan(url)}`,
    );
    if (result.pr.reviewers.length) out.out(`reviewers requested: ${result.pr.reviewers.join(', ')}`);
    return;
  }
  if (result.manual) {
    out.out(`Open the review by hand (${result.manual.reason}):`);
    out.out(
      result.manual.url
        ? `  ${c.cyan(result.manual.url)}`
        : `  ask a spine maintainer to review branch ${result.branch} against ${result.base} in ${result.pushUrl}`,
    );
    out.out(`  title: ${result.title}`);
    out.out('  description:');
    for (const line of result.body.split('\n')) out.out(`    ${line}`);
  }
}
