import * as errors from './errors.js';
import { guarded } from './exit-codes.js';
import { loadWholeCommand } from './io/whole-command.js';

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
  const doctor = loadWholeCommand(wholeCommand, { '../errors.js': errors }) as {
    runWithoutCommander(argv: string[]): Promise<boolean>;
  };
  let ran = true;
  await guarded(argv, async () => {
    ran = await doctor.runWithoutCommander(argv);
  });
  return ran;
}
