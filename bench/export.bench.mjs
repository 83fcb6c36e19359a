// The cost of spine's own telemetry export. At SessionEnd the hook starts a detached exporter
// (`node spine-hook.cjs export`) that summarises the ended sessions from the audit log, encodes one
// OTLP request (http/json or http/protobuf) and POSTs it. Measured here: the exporter's wall and
// CPU time for a typical session (against a collector stand-in in its own process), the request
// size and in-process encode time per protocol, and what SessionEnd costs the agent with the
// exporter start vs without. Every time is also a ratio to `node -e ''` measured in this run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BIN, ROOT, row } from './lib.mjs';

const RUNS = 15;

/** A collector stand-in in its own process (the timed runs block this one): reads, answers 200. */
function collector(dir) {
  const log = join(dir, 'received.log');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const fs=require('node:fs');require('node:http').createServer((q,s)=>{let n=0;q.on('data',c=>n+=c.length);` +
        `q.on('end',()=>{fs.appendFileSync(${JSON.stringify(log)},q.headers['content-type']+' '+n+'\\n');` +
        `s.writeHead(200,{'content-type':q.headers['content-type']}).end()})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve) =>
    child.stdout.once('data', (d) =>
      resolve({ port: Number(String(d).trim()), log, stop: () => child.kill() }),
    ),
  );
}

/** One timed run: wall ms, and CPU ms (user + sys of that process, from /usr/bin/time). */
function once({ command, args, cwd, env, input, before = () => {} }) {
  before();
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', command, ...args], {
    cwd,
    env,
    input,
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`export bench: ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + sys) * 1000 };
}

/**
 * Runs the cases in rotation, RUNS times after a warm-up round, so a machine whose load drifts
 * weighs on every case alike. Median wall and mean CPU per case.
 */
function measureAll(cases) {
  const samples = cases.map(() => []);
  for (let i = 0; i <= RUNS; i++)
    cases.forEach((c, k) => {
      const s = once(c);
      if (i > 0) samples[k].push(s);
    });
  return samples.map((list) => {
    const walls = list.map((s) => s.wall).sort((a, b) => a - b);
    return {
      wall: walls[Math.floor(walls.length / 2)],
      cpu: list.reduce((a, s) => a + s.cpu, 0) / list.length,
    };
  });
}

/** The hook's modules this bench calls in process, bundled from src/hooks into `dir`. */
async function bundleHookModules(dir) {
  const names = ['otlp-request', 'otlp-protobuf', 'session-summary', 'outbox'];
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, join(ROOT, 'src/hooks', `${n}.ts`)])),
    outdir: join(dir, 'hook-modules'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  });
  return Object.fromEntries(names.map((n) => [n, pathToFileURL(join(dir, 'hook-modules', `${n}.js`)).href]));
}

/** A typical session through the real hook: 60 tool calls, 2 subagents, 3 near-misses, a skill. */
function recordSession(repo, hook, id) {
  const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, CLAUDE_CODE_ENABLE_TELEMETRY: '0' };
  const send = (name, fields = {}) =>
    execFileSync(process.execPath, [hook], {
      cwd: repo,
      env,
      input: JSON.stringify({
        session_id: id,
        transcript_path: join(repo, 'none.jsonl'),
        cwd: repo,
        hook_event_name: name,
        ...fields,
      }),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  send('UserPromptSubmit', { prompt: 'Fix the failing test.' });
  const call = (n, agent, command) => {
    const fields = { tool_name: 'Bash', tool_input: { command }, tool_use_id: `t${n}`, ...agent };
    send('PreToolUse', fields);
    send('PostToolUse', { ...fields, tool_response: { stdout: 'ok' } });
  };
  for (let n = 0; n < 40; n++) call(n, {}, n % 2 ? 'npm test' : 'git diff --stat');
  for (const a of ['a1', 'a2']) {
    send('SubagentStart', { agent_id: a, agent_type: 'general-purpose' });
    for (let n = 0; n < 10; n++) call(`${a}-${n}`, { agent_id: a, agent_type: 'general-purpose' }, 'ls src');
  }
  for (let n = 0; n < 3; n++)
    send('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'cat .env' }, tool_use_id: `d${n}` });
  send('PreToolUse', { tool_name: 'Skill', tool_input: { skill: 'review-change' }, tool_use_id: 's1' });
  send('SessionEnd', { reason: 'other' });
}

export default async function () {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-export-'));
  const sink = await collector(dir);
  try {
    const spine = join(dir, 'spine');
    cpSync(join(ROOT, 'spine'), spine, { recursive: true });
    const audit = join(spine, 'guardrails/audit.yaml');
    writeFileSync(
      audit,
      readFileSync(audit, 'utf8').replace(
        'telemetry:\n  enabled: false',
        `telemetry:\n  enabled: true\n  endpoint: http://127.0.0.1:${sink.port}`,
      ),
    );
    const onboard = (name) => {
      const repo = join(dir, name);
      execFileSync('git', ['init', '-q', repo]);
      execFileSync(
        process.execPath,
        [BIN, 'init', '--yes', '--team', 'bench', '--champion', 'x', '--spine', spine],
        {
          cwd: repo,
        },
      );
      return repo;
    };
    const repo = onboard('repo');
    // SessionEnd runs in a repo of its own: the sessions they end must not join the export's outbox.
    const endRepo = onboard('end-repo');
    const hook = join(repo, '.claude/hooks/spine-hook.cjs');
    const policyFile = join(repo, '.claude/hooks/spine-policy.json');
    const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
    recordSession(repo, hook, 'bench-session');
    const state = join(repo, '.spine/audit/otlp-shipped.json');
    const env = { ...process.env, CLAUDE_PROJECT_DIR: repo, CLAUDE_CODE_ENABLE_TELEMETRY: '1' };

    // The exporter once per protocol, each run shipping the one session afresh (the watermark is
    // removed first), the policy switched to that protocol.
    const exportCase = (protocol) => ({
      command: process.execPath,
      args: [hook, 'export'],
      cwd: repo,
      env,
      before: () => {
        writeFileSync(
          policyFile,
          JSON.stringify({ ...policy, telemetry: { ...policy.telemetry, protocol } }),
        );
        rmSync(state, { force: true });
      },
    });
    // What the agent waits for at SessionEnd: the hook with the detached start vs without it.
    const endCase = (telemetry) => ({
      command: process.execPath,
      args: [join(endRepo, '.claude/hooks/spine-hook.cjs')],
      cwd: endRepo,
      env: { ...env, CLAUDE_PROJECT_DIR: endRepo, CLAUDE_CODE_ENABLE_TELEMETRY: telemetry },
      input: JSON.stringify({
        session_id: `end-${telemetry}`,
        transcript_path: join(endRepo, 'none.jsonl'),
        cwd: endRepo,
        hook_event_name: 'SessionEnd',
        reason: 'other',
      }),
      // The previous detached exporter has finished by now: it does not compete for the CPU.
      before: () => spawnSync('sleep', ['0.3']),
    });
    rmSync(sink.log, { force: true });
    const [node, json, proto, off, on] = measureAll([
      { command: process.execPath, args: ['-e', ''], cwd: repo, env },
      exportCase('http/json'),
      exportCase('http/protobuf'),
      endCase('0'),
      endCase('1'),
    ]);
    const sizes = {};
    for (const line of readFileSync(sink.log, 'utf8').trim().split('\n')) {
      const [type, bytes] = line.split(' ');
      if (!sizes[type]) sizes[type] = new Set();
      sizes[type].add(Number(bytes));
    }
    // The export's requests are all alike (SessionEnd's exporters ship tiny sessions of end-repo).
    for (const type of Object.keys(sizes)) sizes[type] = Math.max(...sizes[type]);
    // Ratios to `node -e ''` measured in rotation with the cases (not the suite's baseline).
    const ref = node.wall;
    const cpu = (m) => `CPU ${m.cpu.toFixed(0)} ms = ${(m.cpu / node.cpu).toFixed(2)}× node's`;
    const rows = [
      row("node -e '' (same rotation)", node.wall, ref, '—', `CPU ${node.cpu.toFixed(0)} ms`),
      row(
        'export: one session, http/json',
        json.wall,
        ref,
        'detached',
        `${cpu(json)}, body ${sizes['application/json']} B`,
      ),
      row(
        'export: one session, http/protobuf',
        proto.wall,
        ref,
        'detached',
        `${cpu(proto)}, body ${sizes['application/x-protobuf']} B`,
      ),
      row('SessionEnd hook, telemetry off', off.wall, ref, '—', cpu(off)),
      row(
        'SessionEnd hook, exporter started',
        on.wall,
        ref,
        '≈ off',
        `${cpu(on)}; ${on.wall - off.wall >= 0 ? '+' : ''}${(on.wall - off.wall).toFixed(1)} ms wall vs off`,
      ),
    ];

    // Encoding alone, in process, from the same request object.
    const hooks = await bundleHookModules(dir);
    const { otlpLogsRequest } = await import(hooks['otlp-request']);
    const { encodeLogsRequest } = await import(hooks['otlp-protobuf']);
    const { summariseSession } = await import(hooks['session-summary']);
    const { pendingSessions } = await import(hooks.outbox);
    rmSync(state, { force: true });
    const { ready } = pendingSessions(join(repo, '.spine/audit'), new Date());
    const request = otlpLogsRequest(
      [...ready.values()].map((r) => summariseSession(r, new Set(policy.skills))),
      { 'spine.team': 'bench' },
      '1.0.0',
    );
    const perCall = (fn) => {
      for (let i = 0; i < 200; i++) fn();
      const start = process.hrtime.bigint();
      for (let i = 0; i < 2000; i++) fn();
      return Number(process.hrtime.bigint() - start) / 1e6 / 2000;
    };
    const jsonMs = perCall(() => Buffer.from(JSON.stringify(request), 'utf8'));
    const protoMs = perCall(() => encodeLogsRequest(request));
    rows.push(
      row('encode one session, http/json (in process)', jsonMs, ref, '—', `${(jsonMs * 1000).toFixed(0)} µs`),
    );
    rows.push(
      row(
        'encode one session, http/protobuf (in process)',
        protoMs,
        ref,
        '—',
        `${(protoMs * 1000).toFixed(0)} µs`,
      ),
    );

    return rows;
  } finally {
    sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
