import { CLIENT_RULE_PREFIX, type ClientDay, type Extracted } from './extract.js';
import { A } from './otlp-attributes.js';
import type { OtlpValues } from './otlp-values.js';

/**
 * Claude Code's own events: every tool_result is a tool call, a tool_decision that rejected is a
 * near-miss of the client's (by its `source`); both count their session. Counted per repo-day.
 */
export class ClientEventCounter {
  /** The repo-day last counted into: records of one batch mostly share it. */
  private lastDay: ClientDay | undefined;

  constructor(
    private readonly values: OtlpValues,
    private readonly attr: Int32Array,
  ) {}

  count(into: Extracted, result: boolean, repo: string, team: string, day: string): void {
    const { values, attr } = this;
    if (!result && values.anyString(attr[A.decision]!) !== 'reject') return;
    let cd = this.lastDay;
    if (!cd || cd.repo !== repo || cd.day !== day || cd.team !== team) {
      const key = `${repo}\u0000${day}`;
      cd = into.clientDays.get(key);
      if (!cd) {
        cd = { repo, team, day, sessions: new Set(), toolCalls: 0, nearMisses: {} };
        into.clientDays.set(key, cd);
      }
      this.lastDay = cd;
    }
    const session = values.anyHash(attr[A['session.id']]!);
    if (session !== undefined) cd.sessions.add(session);
    if (result) cd.toolCalls++;
    else {
      const rule = CLIENT_RULE_PREFIX + (values.anyString(attr[A.source]!) ?? 'unknown');
      cd.nearMisses[rule] = (cd.nearMisses[rule] ?? 0) + 1;
    }
  }
}
