import * as errors from './errors.js';
import { guarded } from './exit-codes.js';
import { loadWholeCommand } from './io/whole-command.js';
import { startGitListing } from './team/git-status-files.js';
import { onboardedRoot } from './team/onboarded-root.js';

/**
 * Flags of a doctor that only reads the repository, from where it was started: its git listing can
 * start before doctor's code is loaded. `--fix` writes (and may first recover an interrupted
 * write), `--cwd` moves the root; anything else goes to the command line's own parser first.
 */
const READ_ONLY_FLAGS = new Set([
  '--offline',
  '--strict',
  '--json',
  '--no-color',
  '--debug',
  '-q',
  '--quiet',
]);

/**
 * `spine doctor` without node's ES module loader. bin/spine.js is CommonJS and requires this file
 * (built as dist/doctor-main.cjs) for a doctor command line: the ES module loader, which loads
 * fs/promises, readline and the stream modules before the first line of an ES module runs, costs
 * about a sixth of a bare node start. Doctor's code is the whole-command file, loaded through the
 * code cache as main.js would load it. False when the command line is not one doctor's fast path
 * takes (help, operands, an unknown flag: cli-fast.ts), and nothing has run: the launcher then
 * runs main.js, where commander parses it.
 */
export async function doctorMain(argv: string[], wholeCommand: URL): Promise<boolean> {
  if (argv.slice(1).every((word) => READ_ONLY_FLAGS.has(word))) listAhead();
  const doctor = loadWholeCommand(wholeCommand, { '../errors.js': errors }) as {
    runWithoutCommander(argv: string[]): Promise<boolean>;
  };
  let ran = true;
  await guarded(argv, async () => {
    ran = await doctor.runWithoutCommander(argv);
  });
  return ran;
}

/** Starts the repository's git listing, which doctor takes once it has loaded (context.ts). */
function listAhead(): void {
  try {
    const root = onboardedRoot(process.cwd());
    if (root !== undefined) startGitListing(root);
  } catch {
    // Doctor finds the root itself, and says what is wrong with it.
  }
}
