import { defineCommand } from '../../cli-define.js';

export interface AuditFlags {
  since?: string;
  rollup?: 'day';
  sessions?: boolean;
  verbose?: boolean;
}

export const auditCommand = defineCommand<AuditFlags>({
  name: 'audit',
  description: 'summarise the audit log: sessions, tool calls per agent, near-misses, agent trees',
  flags: [
    {
      flags: '--since <date>',
      description: 'only events from then on: YYYY-MM-DD, an ISO time or a duration like 7d',
    },
    { flags: '--sessions', description: 'after the summary: per-session tables and agent trees' },
    { flags: '--verbose', description: 'same as --sessions' },
    {
      flags: '--rollup <period>',
      description: 'daily activity counts only (for log shipping)',
      choices: ['day'],
    },
  ],
  examples: ['spine audit --since 7d', 'spine audit --rollup day --json'],
  run: async ({ base, out, flags: f }) => {
    if (f.rollup) {
      const { runAuditRollup } = await import('./rollup.js');
      return runAuditRollup({ ...base, since: f.since }, out);
    }
    const { runAudit } = await import('./index.js');
    await runAudit({ ...base, since: f.since, sessions: f.sessions || f.verbose }, out);
  },
});
