import type { Level, Spine } from '../../spine/model.js';
import type { LocalConfig } from '../../team/parse-team.js';

export type Waiver = LocalConfig['waivers'][number];

export interface WaiverState {
  waiver: Waiver;
  /** 1-based line in .spine/local.yaml, when found. */
  line?: number;
  state: 'active' | 'expired' | 'on-locked' | 'invalid';
  /** Why an invalid waiver does not count. */
  reason?: string;
}

/**
 * Judges each waiver once: only a `default` guardrail can be waived, an expired waiver no longer
 * counts, and the spine's waiver policy (approver required, maximum duration) must be met.
 */
export function evaluateWaivers(
  waivers: Waiver[],
  levels: Map<string, Level>,
  policy: Spine['manifest']['policy']['waivers'],
  today: string,
  localText = '',
): WaiverState[] {
  const lines = localText.split(/\r?\n/);
  const seen = new Map<string, number>();
  return waivers.map((waiver) => {
    const nth = seen.get(waiver.rule) ?? 0;
    seen.set(waiver.rule, nth + 1);
    const line = findRuleLine(lines, waiver.rule, nth);
    const level = levels.get(waiver.rule);
    const judge = (state: WaiverState['state'], reason?: string): WaiverState => ({
      waiver,
      line,
      state,
      reason,
    });
    if (level === undefined) return judge('invalid', `no guardrail "${waiver.rule}" in the locked spine`);
    if (level === 'locked') return judge('on-locked');
    if (policy.requireApprover && !waiver.approvedBy)
      return judge('invalid', 'the spine requires approvedBy on every waiver');
    if (waiver.expires !== undefined && waiver.expires < today) return judge('expired');
    if (policy.maxDays !== undefined) {
      const latest = addDays(today, policy.maxDays);
      if (waiver.expires === undefined)
        return judge('invalid', `the spine requires an expiry date at most ${policy.maxDays} days ahead`);
      if (waiver.expires > latest)
        return judge('invalid', `expires after ${latest}: the spine allows at most ${policy.maxDays} days`);
    }
    return judge('active');
  });
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function findRuleLine(lines: string[], rule: string, nth: number): number | undefined {
  const pattern = new RegExp(
    `^\\s*-?\\s*rule:\\s*["']?${rule.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`,
  );
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    if (pattern.test(lines[i]!) && count++ === nth) return i + 1;
  }
  return undefined;
}
