// The Stop hook on big transcripts of the newest client (2.1.332 stores request bodies: its
// transcripts are about 12× larger than 2.1.197's). The real newest client, driven by the
// scripted Messages-API server, runs one onboarded session of BENCH_STOP_CALLS (default 100)
// tool calls; its transcript and audit log are then replicated line for line (fresh tool_use ids)
// to 10× the calls, so the 1,000-call transcript is the real one's lines, repeated. Each size is
// measured in rotation with a bare `node -e ''`:
//
//   first Stop    the turn's end with every call's result still to rebuild (no cursor): the worst case
//   next Stop     the same transcript again, read from the cursor the first Stop left (a later turn):
//                 the transcript and the audit log only past their saved positions
//
// With BENCH_BEFORE, the older build's hook runs beside this one (same policy) in the same rotation.
// plus the hook's peak memory (/usr/bin/time). Linear in the calls of the turn means the 1,000-call
// first Stop costs about 10× the 100-call one above the node start, and the next Stop stays flat.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BEFORE,
  BIN,
  CLAUDE_NEWEST,
  GIT_ENV,
  hookFile,
  loadModelServer,
  nodeCase,
  row,
  runClaude,
  timeInterleaved,
  trustingHome,
} from './lib.mjs';

/** Peak resident memory (MiB) of one hook run with its event on stdin, from /usr/bin/time. */
function peakMiB(hook, { cwd, env, input }) {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, hook], {
    cwd,
    env,
    input,
    encoding: 'utf8',
  });
  return Number(r.stderr?.trim().split('\n').pop()) / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** n calls, one per turn, alternating an ordinary command and a file read. */
function script(n) {
  const main = Array.from({ length: n }, (_, i) => ({
    tools: [
      i % 2 === 0
        ? { name: 'Bash', input: { command: `echo call ${i}`, description: 'echo' } }
        : { name: 'Read', input: { file_path: 'README.md' } },
    ],
  }));
  main.push({ text: 'done' });
  return { main };
}

/** The session's transcript files: the main one (the only .jsonl under projects/). */
function findTranscript(home) {
  const projects = join(home, '.claude', 'projects');
  for (const slug of readdirSync(projects)) {
    const file = readdirSync(join(projects, slug)).find((f) => f.endsWith('.jsonl'));
    if (file) return join(projects, slug, file);
  }
  throw new Error('no transcript');
}

/**
 * The transcript and audit log with the calls repeated `times` times: lines from the first
 * tool_use to the last tool_result are the calls' block; each copy gets its ids suffixed.
 */
function replicate(transcript, auditLines, times) {
  const lines = readFileSync(transcript, 'utf8').split('\n').filter(Boolean);
  const first = lines.findIndex((l) => l.includes('"type":"tool_use"'));
  const last = lines.findLastIndex((l) => l.includes('"type":"tool_result"'));
  const head = lines.slice(0, first);
  const body = lines.slice(first, last + 1);
  const tail = lines.slice(last + 1);
  const ids = /toolu_[A-Za-z0-9_]+/g;
  const copies = (text, j) => (j === 0 ? text : text.replace(ids, (id) => `${id}_r${j}`));
  const out = [...head];
  const audit = [];
  for (let j = 0; j < times; j++) {
    for (const l of body) out.push(copies(l, j));
    for (const l of auditLines) audit.push(copies(l, j));
  }
  out.push(...tail);
  return { transcript: `${out.join('\n')}\n`, audit: `${audit.join('\n')}\n` };
}

export default async function () {
  if (!existsSync(CLAUDE_NEWEST)) return [];
  const calls = Number(process.env.BENCH_STOP_CALLS ?? 100);
  const scratch = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'spine-bench-stop-'));
  try {
    const { startModelServer } = await loadModelServer(scratch);
    const repo = join(scratch, 'repo');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo], { env: GIT_ENV });
    writeFileSync(join(repo, 'README.md'), '# bench\n');
    execFileSync(process.execPath, [BIN, 'init', '--yes', '--team', 'bench', '--champion', 'x'], {
      cwd: repo,
    });
    const home = trustingHome(join(scratch, 'home'), [repo]);
    const server = await startModelServer(script(calls));
    // The newest client's sandbox races for repositories under /tmp: its TMPDIR is passed on.
    await runClaude(
      CLAUDE_NEWEST,
      repo,
      home,
      server.baseUrl,
      process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {},
    );
    await server.close();

    const recorded = findTranscript(home);
    const session = recorded
      .split('/')
      .pop()
      .replace(/\.jsonl$/, '');
    const auditDir = join(repo, '.spine/audit');
    // What the hook logged as each call began: the state at the turn's end before Stop runs.
    const pre = readdirSync(auditDir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(auditDir, f), 'utf8').split('\n'))
      .filter((l) => l.includes('"event":"PreToolUse"') && l.includes(session));
    if (pre.length < calls) throw new Error(`the session logged ${pre.length} of ${calls} calls`);

    const hook = hookFile(join(repo, '.claude/hooks'));
    // The older build's hook beside this one: it reads the same policy file.
    const beforeBuilt = BEFORE ? hookFile(join(BEFORE, 'dist/hooks')) : undefined;
    const beforeHook = beforeBuilt
      ? join(repo, `.claude/hooks/spine-hook-before${beforeBuilt.slice(beforeBuilt.lastIndexOf('.'))}`)
      : undefined;
    if (beforeHook) copyFileSync(beforeBuilt, beforeHook);
    const rows = [];
    for (const times of [1, 10]) {
      const dir = join(scratch, `x${times}`);
      mkdirSync(dir);
      const { transcript, audit } = replicate(recorded, pre, times);
      const transcriptFile = join(dir, `${session}.jsonl`);
      writeFileSync(transcriptFile, transcript);
      const logFile = join(auditDir, `${new Date().toISOString().slice(0, 10)}.jsonl`);
      const pristine = join(dir, 'audit.jsonl');
      writeFileSync(pristine, audit);
      const reset = () => {
        rmSync(auditDir, { recursive: true, force: true });
        mkdirSync(auditDir, { recursive: true });
        copyFileSync(pristine, logFile);
      };
      const input = JSON.stringify({
        session_id: session,
        transcript_path: transcriptFile,
        cwd: repo,
        hook_event_name: 'Stop',
        stop_hook_active: false,
      });
      const env = { ...process.env, CLAUDE_PROJECT_DIR: repo };
      const stop = { command: process.execPath, args: [hook], cwd: repo, env, input, ok: [0] };
      const old = beforeHook && { ...stop, args: [beforeHook] };
      // In each round `next` runs right after `first`: its records and cursor are in place. The
      // older build starts from a fresh log too (its cursor may differ).
      const times1 = timeInterleaved(
        {
          node: nodeCase(),
          first: { ...stop, before: reset },
          next: stop,
          ...(old ? { firstBefore: { ...old, before: reset }, nextBefore: old } : {}),
        },
        { rounds: Number(process.env.BENCH_STOP_ROUNDS ?? 7) },
      );
      const was = (name) => (old ? { ms: times1[name].median, base: nodeMs } : undefined);
      const nodeMs = times1.node.median;
      const written = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('PostToolUse'));
      const n = calls * times;
      if (written.length < n) throw new Error(`Stop rebuilt ${written.length} of ${n} results`);
      const memory = median(
        [0, 1, 2].map(() => {
          reset();
          return peakMiB(hook, { cwd: repo, env, input });
        }),
      );
      reset();
      const mib = (statSync(transcriptFile).size / 2 ** 20).toFixed(1);
      const mem = Number.isNaN(memory) ? '' : `, peak ${memory.toFixed(0)} MiB`;
      rows.push(
        row(
          `stop: first Stop, ${n} calls (${mib} MiB transcript)`,
          times1.first.median,
          nodeMs,
          'linear in calls',
          `+${(times1.first.median - nodeMs).toFixed(0)} ms over node${mem}`,
          was('firstBefore'),
        ),
        row(
          `stop: next Stop from the cursor, ${n} calls`,
          times1.next.median,
          nodeMs,
          'flat',
          `+${(times1.next.median - nodeMs).toFixed(0)} ms over node`,
          was('nextBefore'),
        ),
      );
    }
    return rows;
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
}
