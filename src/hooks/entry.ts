import { readFileSync } from 'node:fs';
import { loadHookCode } from './code-cache.js';
import { eventKind, eventOf, NEVER_BLOCKS } from './event-kinds.js';
import { say, warn } from './say.js';
import { builtinRequire, scriptFile } from './self.js';
import type { HookHost } from './types.js';

/**
 * `spine-hook.cjs`, the file Claude Code runs for every event (settings-entries.ts wires it): it
 * reads the event, then runs the hook's code — `spine-hook-guard.cjs` beside it (main.ts), which
 * loads `spine-hook-session.cjs` for the events that never block — through V8's code cache
 * (code-cache.ts), so a run compiles next to nothing. Kept small: node compiles this file itself
 * at every start.
 */
const GUARD_SCRIPT = 'spine-hook-guard.cjs';

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    // No stdin at all (a closed descriptor): an empty event.
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') throw error;
    return '';
  }
}

function parse(text: string): HookHost['parsed'] {
  try {
    return { payload: JSON.parse(text || '{}') };
  } catch (error) {
    return { error: error as Error };
  }
}

const exporting = process.argv[2] === 'export';
const dir = scriptFile.slice(0, scriptFile.lastIndexOf('/') + 1);
let raw = '';
try {
  raw = exporting ? '' : readStdin();
  const parsed = parse(raw);
  const host: HookHost = {
    raw,
    parsed,
    entryFile: scriptFile,
    load: (file, kind) => loadHookCode(file, kind, builtinRequire, process.env),
  };
  const guard = host.load(
    `${dir}${GUARD_SCRIPT}`,
    exporting ? 'export' : eventKind('payload' in parsed ? parsed.payload : undefined),
  );
  // The route the event took (main.ts): the cache entry of its kind keeps the code of each.
  const route = (guard.exports.hook as (host: HookHost) => unknown)(host);
  guard.save(typeof route === 'string' ? route : '');
} catch (error) {
  // The guard's code is missing or broken (it handles its own errors): the guard fails closed.
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  const what = `${GUARD_SCRIPT} beside the hook could not be loaded (${why})`;
  if (exporting || NEVER_BLOCKS.has(eventOf(raw)))
    warn(`spine: ${what}; this event is not recorded (spine doctor --fix restores it)`);
  else {
    say(2, `spine: ${what}; the tool call is blocked (spine doctor --fix restores it)\n`);
    process.exitCode = 2;
  }
}
// Everything an event does is synchronous and done (its output written with writeSync, the
// exporter it may start already detached), so the process ends here: node's own exit path, not
// the teardown of the heap and environment an empty event loop goes through. The exporter
// (`export`) is the one asynchronous run, and ends when its work does.
if (!exporting) process.exit();
