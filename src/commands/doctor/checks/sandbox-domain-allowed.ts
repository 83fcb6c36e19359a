import { valuesAt } from '../../../core/effective-settings.js';
import type { Finding } from '../../../core/findings.js';
import { type Check, finding, locate } from '../check.js';

/** Does a denied pattern (`x.com`, `*.x.com`) cover an allowed one? */
export function domainCovers(denied: string, allowed: string): boolean {
  const d = denied.toLowerCase();
  const a = allowed.toLowerCase();
  if (d === a) return true;
  if (d.startsWith('*.')) {
    const base = d.slice(2);
    const host = a.startsWith('*.') ? a.slice(2) : a;
    return host.endsWith(`.${base}`) || (a.startsWith('*.') && host === base);
  }
  return false;
}

/** A domain allowed in the team's settings that a spine guardrail denies. */
export const sandboxDomainAllowed: Check = {
  code: 'sandbox-domain-allowed',
  check: (ctx) => {
    const denied = ctx.entries.filter((e) => e.entry.key.startsWith('sandbox.network.deniedDomains[]:'));
    if (denied.length === 0) return [];
    const findings: Finding[] = [];
    for (const { file, value } of valuesAt(ctx.written, ['sandbox', 'network', 'allowedDomains'])) {
      if (!Array.isArray(value)) continue;
      value.forEach((domain, index) => {
        if (typeof domain !== 'string') return;
        const by = denied.find((e) => domainCovers(String(e.entry.value), domain));
        if (!by) return;
        findings.push(
          finding(
            'sandbox-domain-allowed',
            by.entry.level === 'locked' ? 'error' : 'warning',
            'sandbox',
            file,
            `"${domain}" is allowed here but the spine denies ${JSON.stringify(by.entry.value)} (${by.entry.id}); the denial wins, the allowance is a weakening attempt`,
            `remove "${domain}" from sandbox.network.allowedDomains`,
            { ...locate(ctx, file, ['sandbox', 'network', 'allowedDomains', index]), guardrail: by.entry.id },
          ),
        );
      });
    }
    return findings;
  },
};
