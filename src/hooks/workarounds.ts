import { isAbsolute, relative } from 'node:path';
import { compilePatterns, redactString } from './redact.js';
import { parseShell } from './shell-words.js';
import type { ToolCall } from './transcript.js';
import type { LoggedCall } from './transcript-tool-results.js';
import type { Friction, HookPolicy } from './types.js';

/**
 * A denial the session then worked around: a spine deny rule refused a call, and one of the next
 * few calls of the same agent got the same done another way and ran cleanly — `git push --force
 * origin main` refused, `git push --force-with-lease origin main` through; an Edit of a protected
 * file refused, a `sed -i` on that file through. Either the rule stops ordinary work (loosen or
 * narrow it) or it has a gap (close it); both are for a person to judge, so it is recorded as
 * friction on the call that got through, with the rule and the command's program as its class.
 *
 * Cheap by design, from the transcript at Stop/SessionEnd: a call is "the same effect" when it is
 * the same program and subcommand (`git push`, `npm publish`) or a shell command naming the file
 * the refused call was about. Secret rules are left out: a refused read of `.env` followed by a
 * clean `cat .env.example` is a different file, and a real detour is a near-miss the sandbox
 * stops, not friction.
 */
const WINDOW = 3;
/** Programs whose first argument is a subcommand that says what the call does. */
const SUBCOMMANDS = new Set([
  'git',
  'npm',
  'pnpm',
  'yarn',
  'cargo',
  'go',
  'pip',
  'uv',
  'poetry',
  'docker',
  'kubectl',
  'helm',
  'terraform',
  'tofu',
  'pulumi',
  'gh',
  'make',
]);
const MAX_KEY = 60;

export function workarounds(
  calls: ToolCall[],
  pre: ReadonlyMap<string, LoggedCall>,
  policy: HookPolicy,
  projectDir: string,
  /** The spine deny rule behind a call the client refused before the hook saw it, if any. */
  clientDenied: (call: ToolCall) => string | undefined = () => undefined,
): Map<string, Friction> {
  const secret = new Set(policy.secretPaths.map((p) => p.id));
  const out = new Map<string, Friction>();
  // Per agent, the refusals still looking for a workaround: rule, what was refused, calls left.
  const open = new Map<string, { rule: string; key: string | undefined; paths: string[]; left: number }[]>();
  for (const call of calls) {
    const agent = call.agentId ?? '';
    const before = pre.get(call.id);
    const waiting = open.get(agent) ?? [];
    // Refused by the hook, or by the client's own rules before any hook saw the call.
    const rule = before ? (before.decision === 'deny' ? before.rule : undefined) : clientDenied(call);
    if (rule && !secret.has(rule)) {
      waiting.push({
        rule,
        key: commandKey(call),
        paths: pathForms(call.input, projectDir),
        left: WINDOW,
      });
      open.set(agent, waiting);
      continue;
    }
    if (rule) continue;
    if (waiting.length === 0) continue;
    const ran = before && before.decision !== 'deny' && call.result && !call.result.isError;
    if (ran) {
      const key = commandKey(call);
      const command = call.name === 'Bash' ? commandOf(call.input) : undefined;
      const hit = waiting.find(
        (w) => (w.key !== undefined && w.key === key) || w.paths.some((p) => command?.includes(p)),
      );
      if (hit) {
        out.set(call.id, {
          layer: 'rule',
          kind: 'workaround',
          class: redactString(
            `${hit.rule}: ${key ?? call.name}`,
            compilePatterns(policy.redact, () => {}),
          ),
          guardrail: hit.rule,
        });
        waiting.splice(waiting.indexOf(hit), 1);
      }
    }
    for (const w of waiting) w.left--;
    open.set(
      agent,
      waiting.filter((w) => w.left > 0),
    );
  }
  return out;
}

/** `git push`, `npm publish`, `rm`: the program (and its subcommand) of a Bash call's first command. */
function commandKey(call: ToolCall): string | undefined {
  if (call.name !== 'Bash') return undefined;
  const command = commandOf(call.input);
  if (!command) return undefined;
  const { words } = parseShell(command.slice(0, 4096));
  const first = words.length > 0 ? words[0]!.command : -1;
  const argv = words.filter((w) => w.command === first && !w.redirect).map((w) => w.text);
  const start = argv.findIndex((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  if (start < 0) return undefined;
  const name = argv[start]!.split('/').pop() ?? '';
  if (!name) return undefined;
  const sub = argv[start + 1];
  const key = SUBCOMMANDS.has(name) && sub && !sub.startsWith('-') ? `${name} ${sub}` : name;
  return key.length > MAX_KEY ? undefined : key;
}

function commandOf(input: unknown): string | undefined {
  const command = input && typeof input === 'object' ? (input as Record<string, unknown>).command : undefined;
  return typeof command === 'string' ? command : undefined;
}

/** The file an Edit, Write or Read was about: as the agent named it, and relative to the project. */
function pathForms(input: unknown, projectDir: string): string[] {
  const path = input && typeof input === 'object' ? (input as Record<string, unknown>).file_path : undefined;
  if (typeof path !== 'string' || path.length < 3 || path.length > 1024) return [];
  const inside = isAbsolute(path) ? relative(projectDir, path) : '';
  return inside && !inside.startsWith('..') && inside.length >= 3 ? [path, inside] : [path];
}
