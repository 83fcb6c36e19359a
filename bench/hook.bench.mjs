// The hook's cost per event: Claude Code starts it for every tool call (goal: ≤ 1.15× node -e '').
// Timed in one rotation with a bare node start: the hook process itself (clean environment), and
// PreToolUse as the client runs it — the settings' command line through bash — both clean and with
// NODE_EXTRA_CA_CERTS set, as on a corporate machine. With BENCH_BEFORE, the older build's hook and
// command line in the same rotation. Empty .mjs and .cjs files show the floor of a hook shipped as
// an ES module (node's ES module loader, about a fifth of a bare start on Node 20) and as the
// CommonJS file spine ships.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEFORE_BIN, BIN, CA_FILE, hookFile, nodeCase, row, timeInterleaved, withCaBundle } from './lib.mjs';

function onboard(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-hook-'));
  execFileSync('git', ['init', '-q', dir]);
  execFileSync(process.execPath, [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x'], { cwd: dir });
  const settings = JSON.parse(readFileSync(join(dir, '.claude/settings.json'), 'utf8'));
  const group = settings.hooks.PreToolUse.find((g) => JSON.stringify(g).includes('spine-hook'));
  return { dir, hook: hookFile(join(dir, '.claude/hooks')), command: group.hooks[0].command };
}

const event = (dir, command) =>
  JSON.stringify({
    session_id: 'bench',
    transcript_path: join(dir, 't.jsonl'),
    cwd: dir,
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'bench' },
    tool_use_id: 'toolu_bench',
  });

/** The cases of one build: the hook process, allowed and denied, and its settings command line. */
function cases(prefix, { dir, hook, command }) {
  const env = { ...process.env, CLAUDE_PROJECT_DIR: dir };
  const allowed = event(dir, 'npm test && git diff --stat');
  const c = {
    [`${prefix}allow`]: { command: process.execPath, args: [hook], cwd: dir, env, input: allowed },
    [`${prefix}deny`]: {
      command: process.execPath,
      args: [hook],
      cwd: dir,
      env,
      input: event(dir, 'python3 -c "open(\'.env\')"'),
    },
    [`${prefix}command`]: { command: 'bash', args: ['-c', command], cwd: dir, env, input: allowed },
  };
  if (CA_FILE) c[`${prefix}command ca`] = { ...c[`${prefix}command`], env: withCaBundle(env) };
  return c;
}

export default async function () {
  const now = onboard(BIN);
  const before = BEFORE_BIN ? onboard(BEFORE_BIN) : undefined;
  // The floor of any hook shipped as an ES module (.mjs): node loads its ES module loader first.
  const empty = join(now.dir, 'empty.mjs');
  writeFileSync(empty, '');
  const emptyCjs = join(now.dir, 'empty.cjs');
  writeFileSync(emptyCjs, '');
  try {
    const t = timeInterleaved(
      {
        node: nodeCase(),
        ...(CA_FILE ? { 'node ca': nodeCase(withCaBundle()) } : {}),
        'empty mjs': { command: process.execPath, args: [empty] },
        'empty cjs': { command: process.execPath, args: [emptyCjs] },
        ...cases('', now),
        ...(before ? cases('before ', before) : {}),
      },
      { rounds: 21 },
    );
    const base = t.node.median;
    // CPU time beside wall time: on a crowded machine the wall-time ratios drift towards 1 and
    // swing; a process's own CPU time does not grow with the load.
    const cpu = (name) =>
      `CPU ${t[name].cpuMean.toFixed(1)} ms = ${(t[name].cpuMean / t.node.cpuMean).toFixed(2)}× node's`;
    const was = (name) => (before ? { ms: t[`before ${name}`].median, base } : undefined);
    const rows = [
      row(
        'hook: PreToolUse Bash, allowed + logged',
        t.allow.median,
        base,
        '≤ 1.15×',
        `min ${t.allow.min.toFixed(1)} ms; ${cpu('allow')}${before ? ` (before ${cpu('before allow').slice(4)})` : ''}`,
        was('allow'),
      ),
      row(
        'hook: PreToolUse Bash, secret denied',
        t.deny.median,
        base,
        '≤ 1.15×',
        `min ${t.deny.min.toFixed(1)} ms; ${cpu('deny')}${before ? ` (before ${cpu('before deny').slice(4)})` : ''}`,
        was('deny'),
      ),
      row(
        'hook: PreToolUse as the client runs it (bash -c)',
        t.command.median,
        base,
        '',
        'the settings command line, clean environment',
        was('command'),
      ),
    ];
    if (CA_FILE) {
      rows.push(
        row(
          '  … with NODE_EXTRA_CA_CERTS set',
          t['command ca'].median,
          base,
          '≈ clean',
          `a bare node start with it: ${(t['node ca'].median / base).toFixed(2)}×`,
          was('command ca'),
        ),
      );
    }
    rows.push(
      row(
        'hook: an empty .mjs file',
        t['empty mjs'].median,
        base,
        '',
        `the ES module loader alone: the floor of a hook shipped as .mjs; ${cpu('empty mjs')}`,
      ),
      row(
        'hook: an empty .cjs file',
        t['empty cjs'].median,
        base,
        '',
        `the floor of a hook shipped as .cjs (what spine ships); ${cpu('empty cjs')}`,
      ),
    );
    rows.push(
      row(
        "hook: node -e '' (same rotation)",
        base,
        base,
        '',
        `the ratios above are to this; CPU ${t.node.cpuMean.toFixed(1)} ms`,
      ),
    );
    return rows;
  } finally {
    rmSync(now.dir, { recursive: true, force: true });
    if (before) rmSync(before.dir, { recursive: true, force: true });
  }
}
