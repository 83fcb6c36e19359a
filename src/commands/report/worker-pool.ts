import { type ChildProcess, fork } from 'node:child_process';
import { packagePath } from '../../io/package-files.js';
import type { WorkerReply, WorkerSetup } from './worker-protocol.js';

export interface WorkerPoolOptions {
  /** Worker processes (one per core is right: each spends its time in git and in JS). */
  workers: number;
  setup: WorkerSetup;
}

/**
 * Repos go to a worker in chunks, two chunks in flight: the repos of one chunk start together, so
 * their git commands share one shell (see runGit), and the next chunk is there before the worker
 * runs dry.
 */
const CHUNK = 8;
const IN_FLIGHT_PER_WORKER = 2 * CHUNK;
/** Results held back to keep input order are bounded by this many repos past the oldest pending one. */
const REORDER_WINDOW = 64;

type Outcome = Exclude<WorkerReply, { kind: 'failed' }>;

/**
 * Computes the facts of `roots` in a pool of long-lived worker processes and hands each outcome to
 * `onResult` in input order, as soon as it and all before it are in, so the caller folds and drops
 * it: memory stays flat however many repos there are. A worker that fails (not bad input: a bug)
 * stops the run with its error.
 */
export async function runFactsWorkers(
  roots: string[],
  options: WorkerPoolOptions,
  onResult: (outcome: Outcome, root: string) => void,
): Promise<void> {
  if (roots.length === 0) return;
  const count = Math.max(1, Math.min(options.workers, Math.ceil(roots.length / CHUNK)));
  // The worker is its own entry of the bundle (scripts/build-cli.mjs), at a fixed place in dist/.
  const entry = packagePath('dist/facts-worker.js');
  const children: ChildProcess[] = [];
  const held = new Map<number, Outcome>();
  let next = 0; // next repo to send
  let deliver = 0; // next repo to hand over
  let settled = false;

  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const feed = (child: ChildProcess, inFlight: { n: number }) => {
        while (inFlight.n <= IN_FLIGHT_PER_WORKER - CHUNK) {
          const end = Math.min(next + CHUNK, roots.length, deliver + REORDER_WINDOW);
          if (end <= next) return;
          const repos = roots.slice(next, end).map((root, i) => ({ id: next + i, root }));
          child.send({ kind: 'repos', repos });
          inFlight.n += repos.length;
          next = end;
        }
      };
      const states: { child: ChildProcess; inFlight: { n: number } }[] = [];
      for (let i = 0; i < count; i++) {
        const child = fork(entry, [], {
          cwd: options.setup.base.cwd,
          env: options.setup.base.env,
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          // The parent's Node flags (a heap limit, --cpu-prof), but a debugger port cannot be shared.
          execArgv: process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
        });
        children.push(child);
        const inFlight = { n: 0 };
        states.push({ child, inFlight });
        child.on('error', fail);
        child.on('exit', (code, signal) => {
          if (deliver < roots.length) fail(new Error(`a facts worker stopped (${signal ?? `exit ${code}`})`));
        });
        child.on('message', (reply: WorkerReply) => {
          if (settled) return;
          if (reply.kind === 'failed') {
            const error = new Error(`${roots[reply.id]}: ${reply.message}`);
            if (reply.stack) error.stack = reply.stack;
            return fail(error);
          }
          inFlight.n--;
          held.set(reply.id, reply);
          while (held.has(deliver)) {
            const outcome = held.get(deliver)!;
            held.delete(deliver);
            try {
              onResult(outcome, roots[deliver]!);
            } catch (error) {
              return fail(error as Error);
            }
            deliver++;
          }
          if (deliver === roots.length) {
            settled = true;
            return resolve();
          }
          // The window may have moved: every worker with room gets more.
          for (const s of states) feed(s.child, s.inFlight);
        });
        child.send({ kind: 'setup', setup: options.setup });
      }
      for (const s of states) feed(s.child, s.inFlight);
    });
  } finally {
    for (const child of children) {
      if (child.connected) child.disconnect();
      if (settled && deliver < roots.length) child.kill();
    }
  }
}
