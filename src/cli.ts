import { availableParallelism, homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { completionScript, SHELLS, type Shell } from './cli-completion.js';
import { addHelp, commandTree } from './cli-help.js';
import { assertCwd } from './commands/shared/cwd.js';
import { UserError } from './errors.js';
import { toolVersion } from './io/package-files.js';
import type { BaseOptions } from './options.js';
import { createOutput, type Output } from './output/output.js';

interface GlobalFlags {
  cwd?: string;
  quiet?: boolean;
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
  isOutputTTY = Boolean(process.stdout.isTTY),
): BaseOptions {
  const cacheRoot = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  // XDG: a relative XDG_STATE_HOME is invalid and ignored.
  const stateRoot = isAbsolute(env.XDG_STATE_HOME ?? '')
    ? env.XDG_STATE_HOME!
    : join(env.HOME || homedir(), '.local', 'state');
  return {
    cwd: resolve(process.cwd(), flags.cwd ?? '.'),
    json: Boolean(flags.json),
    // Colour for people at a terminal (or when forced), never in pipes, logs or --json.
    color:
      flags.color !== false &&
      !env.NO_COLOR &&
      !flags.json &&
      (isOutputTTY || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0')),
    interactive: isTTY && !flags.yes && !env.CI,
    env: { ...env },
    cacheDir: join(cacheRoot, 'spine'),
    stateDir: join(stateRoot, 'spine'),
    debug: Boolean(flags.debug),
  };
}

function withGlobals(command: Command): Command {
  return command
    .option('--cwd <dir>', 'run as if started in <dir>')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'no colours in output')
    .option('--debug', 'show stack traces for internal errors')
    .option('-q, --quiet', 'print nothing on success (errors and --json output still appear)');
}

type Action<T> = (base: BaseOptions, out: Output, flags: T, args: string[]) => Promise<void>;

function action<T extends GlobalFlags>(run: Action<T>) {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const flags = command.opts() as T;
    const base = baseOptions(flags);
    checkCwd(flags.cwd, base.cwd);
    const out = createOutput({ json: base.json, color: base.color, quiet: Boolean(flags.quiet) });
    await run(base, out, flags, command.args);
  };
}

/** `--cwd` must name a directory: said once here, before any command reads from it. */
function checkCwd(given: string | undefined, cwd: string): void {
  if (given === undefined) return;
  if (given === '') throw new UserError('--cwd needs a directory');
  assertCwd(cwd);
}

/** A positional path given as "" would silently mean the current directory: refuse it. */
function nonEmpty(value: string | undefined, what: string): string | undefined {
  if (value === '') throw new UserError(`${what} is empty: give a path, or leave it out`);
  return value;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UserError(`${flag} must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}

export function buildProgram(): Command {
  const program = new Command('spine')
    .description('A thin shared spine for Claude Code: inherited guardrails, shared skills, a glossary.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    // Flags after a subcommand belong to it (`rollout status --from-file x`, not rollout's).
    .enablePositionalOptions()
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
    .addOption(
      new Option('--ci <forge>', 'also write a managed CI workflow (doctor + facts)').choices(['github']),
    )
    .action(
      action<
        GlobalFlags & {
          spine?: string;
          ref?: string;
          team?: string;
          champion?: string;
          dryRun?: boolean;
          offline?: boolean;
          ci?: 'github';
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
            ci: f.ci,
          },
          out,
        );
      }),
    );

  withGlobals(program.command('doctor'))
    .description('report drift from the locked spine, judged by its effect on the guardrails')
    .option('--strict', 'warnings fail too (exit 1)')
    .option('--fix', 'restore what the lock says spine owns (never removes team additions)')
    .option(
      '--force',
      'with --fix: also replace managed files with uncommitted changes (kept in .spine/backup/)',
    )
    .option('--offline', 'use the cached spine only; skip the check for newer releases')
    .option('--sarif <file>', 'also write a SARIF 2.1.0 report to <file>')
    .action(
      action<
        GlobalFlags & { strict?: boolean; fix?: boolean; force?: boolean; offline?: boolean; sarif?: string }
      >(async (base, out, f) => {
        const { runDoctor } = await import('./commands/doctor/index.js');
        await runDoctor(
          {
            ...base,
            strict: Boolean(f.strict),
            fix: Boolean(f.fix),
            force: Boolean(f.force),
            offline: Boolean(f.offline),
            sarif: f.sarif === undefined ? undefined : resolve(process.cwd(), f.sarif),
          },
          out,
        );
      }),
    );

  withGlobals(program.command('facts'))
    .description("this team repo's facts for spine report: counts only, never tool input")
    .option('--offline', 'use the cached spine only')
    .action(
      action<GlobalFlags & { offline?: boolean }>(async (base, out, f) => {
        const { runFacts } = await import('./commands/facts/index.js');
        await runFacts({ ...base, offline: Boolean(f.offline) }, out);
      }),
    );

  withGlobals(program.command('report [repos...]'))
    .description('org view over team repos or collected facts: lag, drift, skill reuse, near-misses, ramp')
    .option('--facts <path...>', 'facts files collected elsewhere: files, directories or globs')
    .option(
      '--otel <path...>',
      "an OpenTelemetry Collector's file-exporter output (OTLP JSON, gzip ok): files, directories or globs",
    )
    .option('--strict', 'unreadable telemetry lines are an error (exit 2), not skipped and counted')
    .option('--pioneer <team>', 'the team others are measured against (default: the earliest onboarded)')
    .option('--since <date>', 'activity from this date (YYYY-MM-DD) on')
    .option('--html <file>', 'also write a self-contained HTML page')
    .option('--spine <dir>', 'a local clone of the spine to read release tags from')
    .option('--concurrency <n>', 'worker processes computing facts (default: one per core)')
    .option('--no-doctor', 'skip the drift check per repo (faster)')
    .option('--offline', 'use the cached spine only')
    .action(
      action<
        GlobalFlags & {
          facts?: string[];
          otel?: string[];
          strict?: boolean;
          pioneer?: string;
          since?: string;
          html?: string;
          spine?: string;
          concurrency?: string;
          doctor: boolean;
          offline?: boolean;
        }
      >(async (base, out, f, args) => {
        const { runReport } = await import('./commands/report/index.js');
        await runReport(
          {
            ...base,
            repos: args.map((r) => nonEmpty(r, 'a team repo path')!),
            facts: f.facts ?? [],
            otel: f.otel ?? [],
            strict: Boolean(f.strict),
            pioneer: f.pioneer,
            since: f.since,
            html: f.html,
            spine: f.spine,
            concurrency: positiveInt(f.concurrency, '--concurrency') ?? availableParallelism(),
            doctor: f.doctor !== false,
            offline: Boolean(f.offline),
          },
          out,
        );
      }),
    );

  withGlobals(program.command('validate [dir]'))
    .description('check a spine repository: schemas, skills, rules, contradictions, references')
    .action(
      action<GlobalFlags>(async (base, out, _f, args) => {
        const { runValidate } = await import('./commands/validate/index.js');
        await runValidate({ ...base, dir: nonEmpty(args[0], 'the spine directory') }, out);
      }),
    );

  withGlobals(program.command('new [dir]'))
    .description('start a spine repository: spine files, CHANGELOG, README, a CI workflow, a first commit')
    .option('--name <name>', "the spine's name, kebab-case (default: the directory's name)")
    .option('--owners <handles...>', 'owners of the spine (default: @platform-team)')
    .option('--from-embedded', 'start from the embedded spine (the default)')
    .option('--empty', 'start from nothing: a manifest, no guardrails, skills or terms')
    .option('--release', 'tag the first commit as release v0.1.0')
    .option('-y, --yes', 'never prompt; use defaults')
    .action(
      action<
        GlobalFlags & {
          name?: string;
          owners?: string[];
          fromEmbedded?: boolean;
          empty?: boolean;
          release?: boolean;
        }
      >(async (base, out, f, args) => {
        if (f.fromEmbedded && f.empty) {
          const { UserError } = await import('./errors.js');
          throw new UserError('spine new takes one of --from-embedded or --empty, not both');
        }
        const { runNew } = await import('./commands/new/index.js');
        await runNew(
          {
            ...base,
            dir: args[0],
            name: f.name,
            owners: f.owners,
            start: f.empty ? 'empty' : f.fromEmbedded ? 'embedded' : undefined,
            release: f.release,
          },
          out,
        );
      }),
    );

  withGlobals(program.command('extract <pioneers...>'))
    .description(
      'propose the shared layer from pioneer team repos: guardrails, skills, agents, commands, terms',
    )
    .requiredOption(
      '--into <spine>',
      'the spine directory the proposal lands in (a branch when it is a git repo)',
    )
    .option('--team <name>', "the pioneer's team name (one pioneer; default: the repo's directory name)")
    .option('--include-allow', "also propose the pioneers' allow rules")
    .option('--interactive', 'tick what to take')
    .option('--dry-run', 'print the report and write nothing')
    .option('--report <file>', 'also write the Markdown report to <file>')
    .option('--offline', 'use cached copies of remote pioneers only')
    .action(
      action<
        GlobalFlags & {
          into: string;
          team?: string;
          includeAllow?: boolean;
          interactive?: boolean;
          dryRun?: boolean;
          report?: string;
          offline?: boolean;
        }
      >(async (base, out, f, args) => {
        const { runExtract } = await import('./commands/extract/index.js');
        await runExtract(
          {
            ...base,
            pioneers: args,
            into: f.into,
            team: f.team,
            includeAllow: Boolean(f.includeAllow),
            pick: Boolean(f.interactive),
            dryRun: Boolean(f.dryRun),
            report: f.report,
            offline: Boolean(f.offline),
          },
          out,
        );
      }),
    );

  withGlobals(program.command('contribute <skill>'))
    .description(
      'propose a local skill (a name under .claude/skills/ or a path) to the spine as a pull request',
    )
    .option('--title <title>', 'title of the pull request')
    .option('--draft', 'open it as a draft')
    .option('--dry-run', 'show the branch, diff and pull request text; push nothing, call no API')
    .option('-y, --yes', 'never prompt')
    .option('--force', 'propose even when the spine has a similar skill')
    .action(
      action<GlobalFlags & { title?: string; draft?: boolean; dryRun?: boolean; force?: boolean }>(
        async (base, out, f, args) => {
          const { runContribute } = await import('./commands/contribute/index.js');
          await runContribute(
            {
              ...base,
              skill: args[0]!,
              title: f.title,
              draft: Boolean(f.draft),
              dryRun: Boolean(f.dryRun),
              force: Boolean(f.force),
            },
            out,
          );
        },
      ),
    );

  withGlobals(program.command('update'))
    .description('move to another spine version with a three-way merge (default: the latest release)')
    .option('--to <ref>', 'tag, branch or commit to move to')
    .option('--dry-run', 'print the plan and write nothing')
    .option('--diff', 'show a unified diff of every file the update changes')
    .option('--allow-dirty', 'update even when the paths it changes have uncommitted changes')
    .option('--offline', 'use the cached spine only')
    .option('--continue', 'finish an update once its conflicts are settled')
    .option('--abort', 'put back every file an unfinished update changed')
    .action(
      action<
        GlobalFlags & {
          to?: string;
          dryRun?: boolean;
          diff?: boolean;
          allowDirty?: boolean;
          offline?: boolean;
          continue?: boolean;
          abort?: boolean;
        }
      >(async (base, out, f) => {
        const { runUpdate } = await import('./commands/update/index.js');
        await runUpdate(
          {
            ...base,
            to: f.to,
            dryRun: Boolean(f.dryRun),
            diff: Boolean(f.diff),
            allowDirty: Boolean(f.allowDirty),
            offline: Boolean(f.offline),
            continue: Boolean(f.continue),
            abort: Boolean(f.abort),
          },
          out,
        );
      }),
    );

  withGlobals(program.command('resolve <target>'))
    .description('settle a conflict left by update: a path, a settings key or a guardrail id')
    .option('--ours', 'keep the team side')
    .option('--theirs', "take the new spine version's side")
    .action(
      action<GlobalFlags & { ours?: boolean; theirs?: boolean }>(async (base, out, f, args) => {
        if (Boolean(f.ours) === Boolean(f.theirs)) {
          throw new UserError('spine resolve needs exactly one of --ours or --theirs');
        }
        const { runResolve } = await import('./commands/resolve/index.js');
        await runResolve({ ...base, target: args[0]!, side: f.ours ? 'ours' : 'theirs' }, out);
      }),
    );

  withGlobals(program.command('audit'))
    .description('summarise the audit log: sessions, tool calls per agent, near-misses, agent trees')
    .option('--since <date>', 'only events from then on: YYYY-MM-DD, an ISO time or a duration like 7d')
    .option('--sessions', 'after the summary: per-session tables and agent trees')
    .option('--verbose', 'same as --sessions')
    .addOption(
      new Option('--rollup <period>', 'daily activity counts only (for log shipping)').choices(['day']),
    )
    .action(
      action<GlobalFlags & { since?: string; rollup?: 'day'; sessions?: boolean; verbose?: boolean }>(
        async (base, out, f) => {
          if (f.rollup) {
            const { runAuditRollup } = await import('./commands/audit/rollup.js');
            return runAuditRollup({ ...base, since: f.since }, out);
          }
          const { runAudit } = await import('./commands/audit/index.js');
          await runAudit({ ...base, since: f.since, sessions: f.sessions || f.verbose }, out);
        },
      ),
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

  type RolloutFlags = GlobalFlags & {
    fromFile?: string;
    org?: string;
    match?: string[];
    topic?: string[];
    to?: string;
    offline?: boolean;
    concurrency?: string;
  };
  const rolloutOptions = (base: BaseOptions, f: RolloutFlags, repos: string[]) => ({
    ...base,
    repos,
    fromFile: nonEmpty(f.fromFile, '--from-file'),
    org: f.org,
    match: f.match ?? [],
    topics: f.topic ?? [],
    to: f.to,
    offline: Boolean(f.offline),
    concurrency: positiveInt(f.concurrency, '--concurrency') ?? 4,
  });
  const withRolloutFlags = (command: Command) =>
    withGlobals(command)
      .option('--from-file <file>', 'read repositories from a file, one per line (# comments)')
      .option('--org <forge:org>', 'every repository of github:<org> or gitlab:<group>')
      .option('--match <glob...>', 'with --org: only repositories whose name matches a glob')
      .option('--topic <topic...>', 'with --org: only repositories carrying one of these topics')
      .option('--to <ref>', 'the release to move to (default: the latest release)')
      .option('--offline', 'use the cached spine only')
      .option('--concurrency <n>', 'repositories handled at once (default 4)');
  const rolloutCommand = withRolloutFlags(program.command('rollout'))
    .description('move a fleet of team repos to a spine release: preview, then one update request each')
    .argument('[repos...]', 'paths, git URLs or github:owner/name (a URL may be followed by its forge name)')
    .option('--publish', 'push a branch and open or refresh an update request per repository')
    // `rollout status --from-file x`: the flags after `status` are the subcommand's own.
    .enablePositionalOptions()
    .action(
      action<RolloutFlags & { publish?: boolean }>(async (base, out, f, args) => {
        const { runRollout } = await import('./commands/rollout/index.js');
        await runRollout({ ...rolloutOptions(base, f, args), publish: Boolean(f.publish) }, out);
      }),
    );
  withRolloutFlags(rolloutCommand.command('status'))
    .description('where each repository stands: done, request open, conflicted, declined, not started')
    .argument('[repos...]', 'paths, git URLs or github:owner/name')
    .action(
      action<RolloutFlags>(async (base, out, f, args) => {
        const { runRolloutStatus } = await import('./commands/rollout/status.js');
        await runRolloutStatus(rolloutOptions(base, f, args), out);
      }),
    );

  const exporter = program.command('export').description('the spine in the forms Claude Code administers');
  const spineSource = (command: Command) =>
    withGlobals(command)
      .option(
        '--spine <src>',
        'spine source: a path, a git URL or github:owner/repo (default: the embedded spine)',
      )
      .option('--ref <ref>', 'tag, branch or commit of the spine (default: the latest release)')
      .option('--offline', 'use the cached spine only');
  type SourceFlags = GlobalFlags & { spine?: string; ref?: string; offline?: boolean };
  spineSource(exporter.command('managed-settings'))
    .description('the locked guardrails as an enterprise managed-settings file (stdout, or --out)')
    .option('--out <file>', 'write the file here instead of stdout')
    .option('--strict', 'also disable auto mode')
    .action(
      action<SourceFlags & { out?: string; strict?: boolean }>(async (base, out, f) => {
        const { runExportManagedSettings } = await import('./commands/export/managed-settings.js');
        const source = { spine: f.spine, ref: f.ref, offline: Boolean(f.offline) };
        await runExportManagedSettings({ ...base, ...source, out: f.out, strict: Boolean(f.strict) }, out);
      }),
    );
  spineSource(exporter.command('plugin <dir>'))
    .description("the spine's skills, agents and commands as a Claude Code plugin marketplace in <dir>")
    .action(
      action<SourceFlags>(async (base, out, f, args) => {
        const { runExportPlugin } = await import('./commands/export/plugin.js');
        const source = { spine: f.spine, ref: f.ref, offline: Boolean(f.offline) };
        await runExportPlugin({ ...base, ...source, dir: args[0]! }, out);
      }),
    );

  program
    .command('completion')
    .description('print a shell completion script: bash, zsh or fish')
    .addArgument(new Argument('<shell>').choices(SHELLS))
    .action((shell: Shell) => {
      const globals = withGlobals(new Command()).options.map((o) => o.long!);
      const script = completionScript(shell, commandTree(program), globals);
      createOutput({ json: false, color: false }).out(script.trimEnd());
    });
  addHelp(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv, { from: 'user' });
}
