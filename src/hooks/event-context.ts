import { recordsThisEvent } from './event-claim.js';
import { os } from './lazy-builtins.js';
import { warn } from './say.js';
import type { HookContext, HookPayload, HookPolicy } from './types.js';
import { readZones } from './zones.js';

/**
 * What handling one event needs beside its payload and the policy, alike for the guard
 * (main.ts) and the events that never block (session.ts): whether this copy of the hook records
 * the event (event-claim.ts), and the context its decision and records see.
 */
export function eventContext(input: {
  raw: string;
  payload: HookPayload;
  policy: HookPolicy;
  projectDir: string;
  launchDir?: string;
  /** The zone map beside the hook. */
  zonesFile: string;
}): { records: boolean; ctx: HookContext } {
  const { raw, payload, policy, projectDir, launchDir } = input;
  const env = process.env;
  const home = env.HOME || os().homedir();
  const records = recordsThisEvent(raw, payload, policy, projectDir, env, warn);
  // Read only to label the records this event writes; no decision ever sees it.
  const zoneOf =
    records && policy.audit?.enabled ? readZones(input.zonesFile, projectDir, home, warn) : undefined;
  return {
    records,
    ctx: {
      projectDir,
      launchDir,
      ...(zoneOf ? { zoneOf } : {}),
      cwd: (typeof payload.cwd === 'string' && payload.cwd) || projectDir,
      home,
      now: new Date(),
    },
  };
}
