import { UserError } from '../../errors.js';
import { gitTopLevel } from '../../io/git.js';
import { toolVersion } from '../../io/package-files.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { type Collected, collectFacts, nowFrom } from './collect.js';

export interface FactsOptions extends BaseOptions {
  offline: boolean;
}

/** The facts document of the repository around cwd. */
export async function facts(options: FactsOptions): Promise<Collected> {
  const root = await gitTopLevel(options.cwd);
  if (!root) throw new UserError('not a git repository: facts describe a team repo', { file: options.cwd });
  return collectFacts(root, {
    base: options,
    now: nowFrom(options.env),
    tool: toolVersion(),
    doctor: true,
    offline: options.offline,
  });
}

export async function runFacts(options: FactsOptions, out: Output): Promise<void> {
  const { facts: result, doctorUnavailable } = await facts(options);
  if (doctorUnavailable)
    out.err(`spine: doctor unavailable (${doctorUnavailable}): facts carry no drift data`);
  if (out.isJson) return out.json(result);
  const c = out.color;
  const days = result.activity?.days ?? [];
  const sum = (pick: (d: (typeof days)[number]) => number) => days.reduce((n, d) => n + pick(d), 0);
  const nearMisses = sum((d) => Object.values(d.nearMisses).reduce((a, b) => a + b, 0));
  out.out(`${c.bold('spine facts')}: ${result.repo.name} (team ${result.team ?? '?'})`);
  out.out(`  spine     ${result.spine ? `${result.spine.name} v${result.spine.version}` : 'not onboarded'}`);
  out.out(`  t0        ${result.t0 ?? 'lock not committed yet'}`);
  out.out(
    `  doctor    ${result.doctor.available ? `${result.doctor.bySeverity.error} error(s), ${result.doctor.bySeverity.warning} warning(s)` : `not available${doctorUnavailable ? ` (${doctorUnavailable})` : ''}`}`,
  );
  out.out(`  git       ${result.git.weeks.length} active week(s)`);
  out.out(
    `  skills    ${result.skills.filter((s) => s.shared).length} shared, ${result.skills.filter((s) => !s.shared).length} local`,
  );
  out.out(
    days.length
      ? `  activity  ${days.length} day(s), ${sum((d) => d.sessions)} session-days, ${sum((d) => d.toolCalls)} tool calls, ${nearMisses} near-miss(es)`
      : '  activity  no audit data in .spine/audit',
  );
  out.out(`Run with ${c.cyan('--json')} for the facts document (schemas/facts.schema.json).`);
}
