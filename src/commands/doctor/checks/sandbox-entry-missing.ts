import type { Check } from '../check.js';
import { addEntry } from './locked-rule-missing.js';
import { describeEntry, sandboxEntryFindings, stateText } from './sandbox-weakened.js';

/** Keys whose loss weakens the sandbox; allowRead/allowWrite/allowedDomains only ever widen it. */
const WEAKENING = [
  'sandbox.filesystem.denyRead[]:',
  'sandbox.filesystem.denyWrite[]:',
  'sandbox.credentials.envVars[]:',
  'sandbox.network.deniedDomains[]:',
  'sandbox.failIfUnavailable',
  'sandbox.autoAllowBashIfSandboxed',
];

/** A spine denyRead or denyWrite path, secret variable, denied domain or sandbox switch gone from the settings. */
export const sandboxEntryMissing: Check = {
  code: 'sandbox-entry-missing',
  check: (ctx) =>
    sandboxEntryFindings(
      ctx,
      'sandbox-entry-missing',
      (e) => WEAKENING.some((k) => e.entry.key === k || (k.endsWith(':') && e.entry.key.startsWith(k))),
      (e, state) => `${describeEntry(e.entry)} is ${stateText(state)}`,
      'run spine doctor --fix to restore it',
    ),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
