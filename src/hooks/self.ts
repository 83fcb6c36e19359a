import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The hook script's own file, and a `require` for the builtins it loads on first use. Here, as
 * the ES module sources the tests import; the CommonJS bundle replaces this module with its
 * `__filename` and `require` (scripts/build-hook.mjs), because loading node:module would start
 * parts of node's ES module loader before every decision.
 */
export const scriptFile: string = fileURLToPath(import.meta.url);
export const builtinRequire: NodeJS.Require = createRequire(import.meta.url);
