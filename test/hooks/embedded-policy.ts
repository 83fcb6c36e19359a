import { hookPolicy } from '../../src/core/render/hook-policy.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { loadSpine } from '../../src/spine/load.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { EMBEDDED_SPINE } from '../helpers/run-cli.js';

/** The hook policy `spine init` writes for the embedded spine. */
export async function embeddedPolicy(): Promise<HookPolicy> {
  const { spine, problems } = await loadSpine(readSpineDirectory(EMBEDDED_SPINE, 'embedded'));
  if (!spine) throw new Error(problems.map((p) => p.message).join('\n'));
  return hookPolicy(spine);
}
