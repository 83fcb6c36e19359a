import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from '../helpers/audit-sink.js';
import { tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { bashCall, jsonl, preToolUseLine } from '../helpers/transcript.js';
import { embeddedPolicy } from './embedded-policy.js';

/**
 * Two transcript recorders of one session at once — a Stop and the SessionEnd of a client stopped
 * with SIGTERM, two SessionStarts rebuilding the same killed session — each in its own process, as
 * the client runs them: every finished call is still recorded exactly once.
 */
const SESSION = 'sess-race';
const CALLS = 300;
const TS = '2026-12-01T10:00:00.000Z';

// Each recorder waits for the same moment, then reads the transcript and the log and appends.
const RECORDER = `
const [url, logDir, transcript, policyFile, final, startAt] = process.argv.slice(1);
const { recordFromTranscript, appendLine } = await import(url);
const policy = JSON.parse((await import('node:fs')).readFileSync(policyFile, 'utf8'));
const sink = {
  logDir, policy,
  ctx: { projectDir: '/repo', cwd: '/repo', home: '/home/dev', now: new Date('${TS}') },
  append: appendLine,
  logFileFor: (at) => logDir + '/' + at.toISOString().slice(0, 10) + '.jsonl',
  warn: (m) => process.stderr.write(m + '\\n'),
};
while (Date.now() < Number(startAt)) {}
recordFromTranscript(sink, ${JSON.stringify(SESSION)}, transcript, final === 'final');
`;

let bundle: string;
let policyFile: string;

beforeAll(async () => {
  const dir = tempDir('spine-recorders-');
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { recordFromTranscript } from ${JSON.stringify(join(REPO_ROOT, 'src/hooks/transcript-records.ts'))};`,
      `export { appendLine } from ${JSON.stringify(join(REPO_ROOT, 'src/hooks/append-line.ts'))};`,
    ].join('\n'),
  );
  bundle = join(dir, 'recorders.mjs');
  await build({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  });
  policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(await embeddedPolicy()));
});

/** A session of CALLS finished Bash calls, each with its PreToolUse record in the log. */
function session() {
  const root = tempDir('spine-race-');
  const logDir = join(root, 'audit');
  mkdirSync(logDir);
  mkdirSync(join(root, 'projects'));
  const transcript = join(root, 'projects', `${SESSION}.jsonl`);
  const ids = Array.from({ length: CALLS }, (_, i) => `toolu_${i}`);
  writeFileSync(
    transcript,
    jsonl(ids.flatMap((id, i) => bashCall(id, `echo ${i}`, String(i), { timestamp: TS }))),
  );
  writeFileSync(
    join(logDir, '2026-12-01.jsonl'),
    `${ids.map((id) => preToolUseLine(SESSION, id, TS)).join('\n')}\n`,
  );
  return { logDir, transcript, ids };
}

function runRecorders(logDir: string, transcript: string, finals: boolean[]) {
  const startAt = Date.now() + 1500;
  return Promise.all(
    finals.map(
      (final) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(
            process.execPath,
            [
              '--input-type=module',
              '-e',
              RECORDER,
              pathToFileURL(bundle).href,
              logDir,
              transcript,
              policyFile,
              final ? 'final' : 'turn',
              String(startAt),
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
          let stderr = '';
          child.stderr.on('data', (d) => {
            stderr += d;
          });
          child.on('close', (code) => resolve({ code, stderr }));
        }),
    ),
  );
}

function postRecords(logDir: string): string[] {
  return auditRecords(logDir)
    .filter((r) => r.event === 'PostToolUse')
    .map((r) => r.tool_use_id!)
    .sort();
}

describe('transcript recorders of one session at once', () => {
  it.each([
    ['two SessionEnds', [true, true]],
    ['a Stop and a SessionEnd', [false, true]],
    ['four of both kinds', [true, false, true, false]],
  ])(
    '%s: every finished call recorded once, no lock left',
    async (_, finals) => {
      const { logDir, transcript, ids } = session();
      const runs = await runRecorders(logDir, transcript, finals);
      for (const run of runs) expect(run, run.stderr).toEqual({ code: 0, stderr: '' });
      expect(postRecords(logDir)).toEqual([...ids].sort());
      const cursorDir = join(logDir, '.cursor');
      expect(existsSync(cursorDir) ? readdirSync(cursorDir).filter((n) => n.endsWith('.lock')) : []).toEqual(
        [],
      );
    },
    60_000,
  );

  it('a lock left by a recorder that is gone is taken over at once', async () => {
    const { logDir, transcript, ids } = session();
    mkdirSync(join(logDir, '.cursor'));
    // A pid no process has: the highest the kernel can hand out, plus one.
    writeFileSync(join(logDir, '.cursor', `${SESSION}.lock`), '4194305');
    const started = Date.now();
    const [run] = await runRecorders(logDir, transcript, [true]);
    expect(run, run!.stderr).toEqual({ code: 0, stderr: '' });
    expect(Date.now() - started).toBeLessThan(1500 + 2500);
    expect(postRecords(logDir)).toEqual([...ids].sort());
    expect(existsSync(join(logDir, '.cursor'))).toBe(false);
  }, 60_000);

  it('a link planted as the lock is said, left alone, and the calls are still recorded', async () => {
    const { logDir, transcript, ids } = session();
    mkdirSync(join(logDir, '.cursor'));
    const target = join(logDir, 'elsewhere');
    symlinkSync(target, join(logDir, '.cursor', `${SESSION}.lock`));
    const [run] = await runRecorders(logDir, transcript, [true]);
    expect(run!.code).toBe(0);
    expect(run!.stderr).toMatch(/\.lock is a symlink; left alone/);
    expect(existsSync(target)).toBe(false);
    expect(postRecords(logDir)).toEqual([...ids].sort());
  }, 60_000);

  it('a lock held by a live process that never lets go: waited for (bounded), then recorded anyway', async () => {
    const { logDir, transcript, ids } = session();
    mkdirSync(join(logDir, '.cursor'));
    writeFileSync(join(logDir, '.cursor', `${SESSION}.lock`), String(process.pid));
    const [run] = await runRecorders(logDir, transcript, [true]);
    expect(run!.code).toBe(0);
    expect(run!.stderr).toMatch(/did not finish in time; recording anyway/);
    expect(postRecords(logDir)).toEqual([...ids].sort());
  }, 60_000);
});
