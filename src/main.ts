import { guarded } from './exit-codes.js';

/** The CLI: `spine <command>`. bin/spine.js runs `spine doctor` through doctor-main.ts first. */
export async function main(argv: string[]): Promise<void> {
  await guarded(argv, async () => {
    // `spine doctor` runs without building commander's program of every command (cli-fast.ts).
    const fast = argv[0] === 'doctor' && (await (await import('./cli-fast.js')).runWithoutCommander(argv));
    if (!fast) await (await import('./cli.js')).runCli(argv);
  });
}
