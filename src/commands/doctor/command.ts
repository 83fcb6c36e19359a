import { resolve } from 'node:path';
import { defineCommand } from '../../cli-command.js';

export interface DoctorFlags {
  strict?: boolean;
  fix?: boolean;
  force?: boolean;
  offline?: boolean;
  sarif?: string;
}

export const doctorCommand = defineCommand<DoctorFlags>({
  name: 'doctor',
  description: 'report drift from the locked spine, judged by its effect on the guardrails',
  flags: [
    { flags: '--strict', description: 'warnings fail too (exit 1)' },
    { flags: '--fix', description: 'restore what the lock says spine owns (never removes team additions)' },
    {
      flags: '--force',
      description: 'with --fix: also replace managed files with uncommitted changes (kept in .spine/backup/)',
    },
    { flags: '--offline', description: 'use the cached spine only; skip the check for newer releases' },
    { flags: '--sarif <file>', description: 'also write a SARIF 2.1.0 report to <file>' },
  ],
  examples: ['spine doctor', 'spine doctor --strict --sarif spine.sarif', 'spine doctor --fix'],
  run: async ({ base, out, flags: f }) => {
    const { runDoctor } = await import('./index.js');
    await runDoctor(
      {
        ...base,
        strict: Boolean(f.strict),
        fix: Boolean(f.fix),
        force: Boolean(f.force),
        offline: Boolean(f.offline),
        sarif: f.sarif === undefined ? undefined : resolve(process.cwd(), f.sarif),
      },
      out,
    );
  },
});
