import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { clientEnv } from './client-env.mjs';
import { tempDir } from './gitdir.js';

/**
 * The clients the real-client tests run against, both pinned devDependencies: the oldest client
 * spine supports and the newest published one (an npm alias, so both install side by side).
 * Their packages both declare the `claude` bin, so `node_modules/.bin/claude` may be either:
 * the tests name each package's own binary.
 */
export const CLIENTS = {
  oldest: fileURLToPath(
    new URL('../../node_modules/@anthropic-ai/claude-code/bin/claude.exe', import.meta.url),
  ),
  newest: fileURLToPath(new URL('../../node_modules/claude-code-newest/bin/claude.exe', import.meta.url)),
} as const;

/**
 * The client under test: `SPINE_CLAUDE=oldest` (the default), `newest`, or the path of any
 * installed `claude` binary (see docs/testing-with-claude-code.md).
 */
export const CLAUDE_CHOICE = process.env.SPINE_CLAUDE || 'oldest';
export const CLAUDE_BIN: string =
  CLAUDE_CHOICE in CLIENTS ? CLIENTS[CLAUDE_CHOICE as keyof typeof CLIENTS] : resolve(CLAUDE_CHOICE);

let versionCache: string | undefined;

/** The version of the client under test (`claude --version` answers without starting a session). */
export function claudeVersion(): string {
  if (versionCache) return versionCache;
  assertInstalled();
  const out = execFileSync(CLAUDE_BIN, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const match = /\d+\.\d+\.\d+/.exec(out);
  if (!match) throw new Error(`cannot read the version of ${CLAUDE_BIN} from: ${out}`);
  versionCache = match[0];
  return versionCache;
}

/** Whether the client under test is `version` or newer: for behaviour that differs by client. */
export function clientAtLeast(version: string): boolean {
  return semver.gte(claudeVersion(), version);
}

/** Background subagents are the default from this client on. */
export const BACKGROUND_SUBAGENTS_SINCE = '2.1.198';

/**
 * The package's install script replaces a small placeholder with the platform binary; npm
 * skips install scripts unless allowed, which leaves the placeholder. Say so instead of
 * failing with an obscure spawn error, and never skip: these tests must run to mean anything.
 */
function assertInstalled(): void {
  const size = existsSync(CLAUDE_BIN) ? statSync(CLAUDE_BIN).size : 0;
  if (size < 1_000_000 && CLAUDE_CHOICE in CLIENTS) {
    throw new Error(
      `the Claude Code binary is not in place (${CLAUDE_BIN}): its install script has not run. ` +
        'Allow it (`npm install-scripts`, or package.json allowScripts) and run `npm rebuild @anthropic-ai/claude-code claude-code-newest`.',
    );
  }
  if (!existsSync(CLAUDE_BIN)) throw new Error(`SPINE_CLAUDE names no file: ${CLAUDE_BIN}`);
}

/** One line of `--output-format stream-json`. */
export interface StreamMessage {
  type: string;
  subtype?: string;
  [key: string]: unknown;
}

export interface InitMessage extends StreamMessage {
  tools: string[];
  skills: string[];
  agents: string[];
  slash_commands: string[];
  permissionMode: string;
  cwd: string;
  session_id: string;
}

export interface ClaudeRun {
  code: number;
  stdout: string;
  stderr: string;
  messages: StreamMessage[];
  init: InitMessage | undefined;
  result: StreamMessage | undefined;
  /** The isolated home the client ran with (its config lives in `<home>/.claude`). */
  home: string;
}

export interface ClaudeOptions {
  prompt: string;
  cwd: string;
  /** The scripted model server's base URL. */
  baseUrl: string;
  /** Extra CLI arguments, e.g. ['--allowedTools', 'Bash', 'Read']. */
  args?: string[];
  /** Defaults to a fresh temporary home. */
  home?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** How the client is stopped at the timeout or abort (default SIGTERM); SIGKILL is a crash. */
  killSignal?: NodeJS.Signals;
  /** Stops the client when aborted. */
  signal?: AbortSignal;
  /** A program that runs the client under test with the arguments it is given (a wrapper). */
  bin?: string;
}

/** A temporary HOME with an empty Claude config directory: nothing of the developer's leaks in. */
export function claudeHome(): string {
  const home = tempDir('spine-claude-home-');
  mkdirSync(join(home, '.claude'), { recursive: true });
  return home;
}

/**
 * Marks `repo` trusted, as accepting the trust dialog would. With CLAUDE_CONFIG_DIR set the
 * client keeps its global config in `<CLAUDE_CONFIG_DIR>/.claude.json`, not `~/.claude.json`.
 */
export function trustWorkspace(home: string, repo: string): void {
  const file = join(home, '.claude', '.claude.json');
  const config = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  config.projects ??= {};
  config.projects[repo] = { ...config.projects[repo], hasTrustDialogAccepted: true };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

/** Runs `claude -p` offline against the scripted server and parses its stream-json output. */
export function runClaude(options: ClaudeOptions): Promise<ClaudeRun> {
  assertInstalled();
  const home = options.home ?? claudeHome();
  const env = clientEnv({ home, baseUrl: options.baseUrl, env: options.env });
  const args = ['-p', options.prompt, '--output-format', 'stream-json', '--verbose', ...(options.args ?? [])];
  const timeout = options.timeoutMs ?? 60_000;
  return new Promise((resolve) => {
    const child = execFile(
      options.bin ?? CLAUDE_BIN,
      args,
      {
        cwd: options.cwd,
        env,
        timeout,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.killSignal ? { killSignal: options.killSignal } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const messages = parseStream(stdout);
        // Named in stderr so a failing exit-code assertion says why.
        const killed = error?.killed ? `\nclaude was stopped after ${timeout} ms (${error.signal})` : '';
        resolve({
          code,
          stdout,
          stderr: stderr + killed,
          messages,
          init: messages.find((m) => m.type === 'system' && m.subtype === 'init') as InitMessage | undefined,
          result: messages.find((m) => m.type === 'result'),
          home,
        });
      },
    );
    // Not execFile's own `signal`: that always sends SIGTERM, whatever `killSignal` says.
    options.signal?.addEventListener('abort', () => child.kill(options.killSignal ?? 'SIGTERM'), {
      once: true,
    });
    child.stdin?.end();
  });
}

function parseStream(stdout: string): StreamMessage[] {
  const out: StreamMessage[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as StreamMessage);
    } catch {
      // Non-JSON lines (warnings) are kept out of the parsed stream; stdout still has them.
    }
  }
  return out;
}
