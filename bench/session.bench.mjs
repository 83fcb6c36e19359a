// What spine's hooks add to a real agent session: the real Claude Code client, driven by the
// scripted Messages-API server, runs sessions of N tool calls (Bash, Read and a subagent) with
// spine's settings, with the same settings minus spine's hooks, and with the floor a node hook can
// reach — spine's hooks replaced by one PreToolUse hook that is only `node -e ''` — interleaved in
// one run. Spine's added wall time per tool call is reported as a ratio to the floor's (goal
// ≤ 1.2, moonshot 1.0: spine adds nothing to a node start), beside it in ms and in bare
// `node -e ''` starts measured in the same run. The client and its hooks start with a minimal
// environment (no NODE_EXTRA_CA_CERTS), as does the bench's baseline (bench/lib.mjs).
// Per event kind: the same session with one kind's hooks removed at a time (at the smallest N).
// At the first N the floor runs twice, as its own control: how far the two land apart is the
// run's precision.
//
// BENCH_SESSION_N=20,100 (tool calls per session), BENCH_SESSION_REPS=3 (sessions per variant),
// BENCH_SESSION_KINDS=1 (the per-kind split at the first N even when it is above 20),
// BENCH_SESSION_HISTORY=1 (also the earlier wirings: all synchronous, an async hook after each
// call), BENCH_BEFORE=<dir> (also the older build's wiring, in a repository it onboarded).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BEFORE_BIN,
  BIN,
  CLAUDE_PINNED,
  loadModelServer,
  row,
  runClaude,
  timeCommand,
  trustingHome,
} from './lib.mjs';

const SUBAGENT = 'BENCH-SESSION-SUBAGENT';
const SUB_CALLS = 4;

/** N tool calls in all: one Agent call whose subagent makes SUB_CALLS calls, the rest Bash/Read. */
export function sessionScript(n) {
  const own = Math.max(1, n - 1 - SUB_CALLS);
  const call = (i) =>
    i % 2 === 0
      ? { name: 'Bash', input: { command: 'true', description: 'noop' } }
      : { name: 'Read', input: { file_path: 'README.md' } };
  const main = [];
  const half = Math.floor(own / 2);
  for (let i = 0; i < half; i++) main.push({ tools: [call(i)] });
  main.push({
    tools: [
      {
        name: 'Agent',
        input: {
          description: 'Look around',
          prompt: `${SUBAGENT}: look around`,
          subagent_type: 'general-purpose',
        },
      },
    ],
  });
  for (let i = half; i < own; i++) main.push({ tools: [call(i)] });
  main.push({ text: 'main done' });
  const sub = Array.from({ length: SUB_CALLS }, (_, i) => ({ tools: [call(i)] }));
  sub.push({ text: 'sub done' });
  return { main, subagents: { [SUBAGENT]: sub } };
}

/** The wiring before audit-only events went async: every spine hook blocks the agent. */
function allSynchronous(settings) {
  const copy = structuredClone(settings);
  for (const groups of Object.values(copy.hooks ?? {})) {
    for (const g of groups) for (const h of g.hooks ?? []) delete h.async;
  }
  return copy;
}

/** The settings plus a spine hook after every call, as earlier wirings had (sync or async). */
function withPostToolUseHook(settings, async) {
  const copy = structuredClone(settings);
  const command = copy.hooks.SessionStart[0].hooks[0].command;
  const hook = { type: 'command', command, timeout: 10, ...(async ? { async: true } : {}) };
  copy.hooks.PostToolUse = [...(copy.hooks.PostToolUse ?? []), { matcher: '*', hooks: [hook] }];
  return copy;
}

/** The floor: no spine hooks, one PreToolUse hook on every call that only starts node. */
function withFloorHook(settings) {
  const copy = withoutSpineHooks(settings);
  copy.hooks ??= {};
  const hook = { type: 'command', command: "node -e ''", timeout: 10 };
  copy.hooks.PreToolUse = [...(copy.hooks.PreToolUse ?? []), { matcher: '*', hooks: [hook] }];
  return copy;
}

/** Settings with spine's hook groups removed, for all events or for the listed ones. */
function withoutSpineHooks(settings, events) {
  const copy = structuredClone(settings);
  for (const [event, groups] of Object.entries(copy.hooks ?? {})) {
    if (events && !events.includes(event)) continue;
    copy.hooks[event] = groups.filter((g) => !JSON.stringify(g).includes('spine-hook'));
    if (copy.hooks[event].length === 0) delete copy.hooks[event];
  }
  return copy;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export default async function ({ base }) {
  const ns = (process.env.BENCH_SESSION_N ?? '20,100').split(',').map(Number);
  const reps = Number(process.env.BENCH_SESSION_REPS ?? 3);
  const scratch = mkdtempSync(join(tmpdir(), 'spine-bench-session-'));
  const { startModelServer } = await loadModelServer(scratch);
  const onboard = (bin, name) => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    execFileSync('git', ['init', '-q', dir]);
    writeFileSync(join(dir, 'README.md'), '# bench\n');
    execFileSync(process.execPath, [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x'], {
      cwd: dir,
    });
    return dir;
  };
  const repo = onboard(BIN, 'repo');
  // The older build's wiring runs in a repository of its own (its hook script and policy).
  const beforeRepo = BEFORE_BIN ? onboard(BEFORE_BIN, 'before') : undefined;
  const settingsFile = join(repo, '.claude/settings.json');
  const spineSettings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  const home = trustingHome(join(scratch, 'home'), beforeRepo ? [repo, beforeRepo] : [repo]);
  const history = Boolean(process.env.BENCH_SESSION_HISTORY);

  const spineEvents = Object.keys(spineSettings.hooks ?? {}).filter((e) =>
    spineSettings.hooks[e].some((g) => JSON.stringify(g).includes('spine-hook')),
  );
  const sessionEvents = spineEvents.filter((e) => e !== 'PreToolUse' && e !== 'PostToolUse');
  const rows = [];
  const load = [loadavg()[0]];
  const bases = [];
  for (const [index, n] of ns.entries()) {
    const variants = {
      spine: spineSettings,
      floor: withFloorHook(spineSettings),
      none: withoutSpineHooks(spineSettings),
    };
    if (beforeRepo) variants.before = 'before';
    if (history) {
      // The first wiring: every hook synchronous, one more after each call.
      variants.sync = withPostToolUseHook(allSynchronous(spineSettings), false);
      // The wiring before the transcript: the hook after each call async.
      variants['async post'] = withPostToolUseHook(spineSettings, true);
    }
    if (index === 0) {
      // The floor twice: how far two identical variants land apart in this run is the precision of
      // every ratio here (seven sessions each at N = 20 put them 11 % apart on the 2-core machine).
      variants['floor, again'] = withFloorHook(spineSettings);
    }
    if (index === 0 && (n <= 20 || process.env.BENCH_SESSION_KINDS === '1')) {
      // Per event kind (at a small N, to keep the run short, unless BENCH_SESSION_KINDS=1): what
      // removing that kind's hooks saves.
      if (spineEvents.includes('PreToolUse'))
        variants['-PreToolUse'] = withoutSpineHooks(spineSettings, ['PreToolUse']);
      if (sessionEvents.length) variants['-session events'] = withoutSpineHooks(spineSettings, sessionEvents);
    }
    const server = await startModelServer(sessionScript(n));
    const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (let r = 0; r < reps; r++) {
      bases.push(timeCommand(process.execPath, ['-e', ''], { runs: 5 }).median);
      for (const [name, settings] of Object.entries(variants)) {
        // The older build's repository keeps the settings its init wrote.
        const cwd = settings === 'before' ? beforeRepo : repo;
        if (settings !== 'before') writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
        const auditDir = join(cwd, '.spine/audit');
        rmSync(auditDir, { recursive: true, force: true });
        const { ms } = await runClaude(CLAUDE_PINNED, cwd, home, server.baseUrl);
        times[name].push(ms);
        if (['spine', 'before', 'sync', 'async post'].includes(name)) checkAudit(auditDir, n);
      }
    }
    await server.close();
    load.push(loadavg()[0]);
    const none = median(times.none);
    const nodeMs = median(bases);
    const added = (name) => (median(times[name]) - none) / n;
    const perCall = added('spine');
    const floor = added('floor');
    const ms = (x) => `${x.toFixed(1)} ms`;
    rows.push(
      row(
        `session N=${n}: spine per tool call ÷ floor's`,
        perCall,
        floor,
        '≤ 1.2×',
        `spine adds ${ms(perCall)} = ${(perCall / nodeMs).toFixed(2)} node starts, the floor ${ms(floor)}; ` +
          `sessions: spine ${median(times.spine).toFixed(0)}, floor ${median(times.floor).toFixed(0)}, ` +
          `none ${none.toFixed(0)} ms, ${reps} reps`,
        beforeRepo ? { ms: added('before'), base: floor } : undefined,
      ),
    );
    rows.push(
      row(
        `session N=${n}: floor (node -e '' hook) per call`,
        floor,
        nodeMs,
        '',
        'the ms column is the floor; ratio to a bare node start',
      ),
    );
    if (variants['floor, again']) {
      rows.push(
        row(
          `session N=${n}: the floor against itself (noise)`,
          added('floor, again'),
          floor,
          '',
          'the same variant twice: 1.00× at perfect precision; read the ratios above ± this much',
        ),
      );
    }
    if (history) {
      rows.push(
        row(
          `session N=${n}: first wiring, all synchronous`,
          added('sync'),
          floor,
          '(history)',
          `${median(times.sync).toFixed(0)} ms per session; ratio to the floor`,
        ),
      );
      rows.push(
        row(
          `session N=${n}: async hook after each call`,
          added('async post'),
          floor,
          '(history)',
          `${median(times['async post']).toFixed(0)} ms per session; ratio to the floor`,
        ),
      );
    }
    for (const name of Object.keys(variants).filter((k) => k.startsWith('-'))) {
      // What this kind costs = the full cost minus the cost without it.
      const cost = perCall - added(name);
      rows.push(
        row(
          `session N=${n}:   of which ${name.slice(1)}`,
          cost,
          floor,
          '',
          'per tool call; ratio to the floor',
        ),
      );
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const nodeMs = median(bases);
  rows.push(
    row(
      "session: node -e '' in the same run",
      nodeMs,
      base,
      '',
      `load avg 1 min ${load.map((l) => l.toFixed(1)).join(' → ')} on ${(await import('node:os')).cpus().length} cores`,
    ),
  );
  return rows;
}

/** A timed session counts only if spine recorded every tool call once, before and after. */
function checkAudit(dir, n) {
  if (!existsSync(dir)) throw new Error('session bench: no audit log written');
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l));
  for (const event of ['PreToolUse', 'PostToolUse']) {
    const ids = lines.filter((l) => l.event === event).map((l) => l.tool_use_id);
    if (ids.length !== n || new Set(ids).size !== n) {
      throw new Error(
        `session bench: ${ids.length} ${event} records (${new Set(ids).size} distinct) for ${n} calls`,
      );
    }
  }
}
