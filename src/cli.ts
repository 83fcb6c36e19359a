import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import type { BaseOptions } from './options.js';
import { createOutput, type Output } from './output/output.js';

interface GlobalFlags {
  cwd?: string;
  json?: boolean;
  color?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/** Flags every command shares → the injected base options. Exported for the argv table test. */
export function baseOptions(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdin.isTTY),
): BaseOptions {
  const cacheRoot = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return {
    cwd: resolve(process.cwd(), flags.cwd ?? '.'),
    json: Boolean(flags.json),
    color: flags.color !== false && !env.NO_COLOR && !flags.json,
    interactive: isTTY && !flags.yes && !env.CI,
    env: { ...env },
    cacheDir: join(cacheRoot, 'spine'),
    debug: Boolean(flags.debug),
  };
}

function withGlobals(command: Command): Command {
  return command
    .option('--cwd <dir>', 'run as if started in <dir>')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'no colours in output')
    .option('--debug', 'show stack traces for internal errors');
}

type Action<T> = (base: BaseOptions, out: Output, flags: T, args: string[]) => Promise<void>;

function action<T extends GlobalFlags>(run: Action<T>) {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const flags = command.opts() as T;
    const base = baseOptions(flags);
    const out = createOutput({ json: base.json, color: base.color });
    await run(base, out, flags, command.args);
  };
}

export function buildProgram(): Command {
  const program = new Command('spine')
    .description('A thin shared spine for Claude Code: inherited guardrails, shared skills, a glossary.')
    .version(process.env.npm_package_version ?? '0.1.0', '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run spine --help for usage)');

  withGlobals(program.command('init'))
    .description('onboard this repository onto a spine')
    .option(
      '--spine <src>',
      'spine source: a path, a git URL or github:owner/repo (default: the embedded spine)',
    )
    .option('--ref <ref>', 'tag, branch or commit of the spine (default: the latest release)')
    .option('--team <name>', 'team name')
    .option('--champion <handle>', "the team's spine champion")
    .option('--offline', 'use the cached spine only')
    .option('-y, --yes', 'never prompt; use defaults')
    .option('--dry-run', 'print the plan and write nothing')
    .action(
      action<
        GlobalFlags & {
          spine?: string;
          ref?: string;
          team?: string;
          champion?: string;
          dryRun?: boolean;
          offline?: boolean;
        }
      >(async (base, out, f) => {
        const { runInit } = await import('./commands/init/index.js');
        await runInit(
          {
            ...base,
            spine: f.spine,
            ref: f.ref,
            team: f.team,
            champion: f.champion,
            dryRun: Boolean(f.dryRun),
            offline: Boolean(f.offline),
          },
          out,
        );
      }),
    );

  const skill = program.command('skill').description('work with local skills');
  withGlobals(skill.command('new <name>'))
    .description('scaffold a local skill in .claude/skills/<name>/')
    .option('--description <text>', 'what the skill does and when to use it')
    .action(
      action<GlobalFlags & { description?: string }>(async (base, out, f, args) => {
        const { runSkillNew } = await import('./commands/skill-new/index.js');
        await runSkillNew({ ...base, name: args[0]!, description: f.description }, out);
      }),
    );

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv, { from: 'user' });
}
