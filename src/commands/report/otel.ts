import { basename, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  createTelemetryFold,
  type RepoTelemetry,
  type TelemetryCoverage,
} from '../../core/telemetry/fold.js';
import { UserError } from '../../errors.js';
import { packagePath } from '../../io/package-files.js';
import { expandInputArgs } from './inputs.js';
import type { OtelFileResult } from './otel-file.js';

export interface TelemetryInput {
  repos: RepoTelemetry[];
  coverage: TelemetryCoverage;
}

/**
 * Reads what an OpenTelemetry Collector's file exporter wrote (OTLP/JSON, one export request a
 * line, plain or gzip, rotated files) in worker threads, one file each at a time, and folds the
 * results here as they arrive: the parsing, which is nearly all the cost, runs on every core,
 * and only per-session summaries cross threads. `strict` turns any unreadable line into exit 2.
 */
export async function readTelemetry(
  cwd: string,
  args: string[],
  options: { workers: number; strict: boolean },
): Promise<TelemetryInput> {
  // In a directory every file counts (rotated names vary), except hidden ones.
  const files = expandInputArgs(cwd, args, (f) => !basename(f).startsWith('.'), 'telemetry');
  const fold = createTelemetryFold();
  const count = Math.max(1, Math.min(options.workers, files.length));
  const workers = Array.from(
    { length: count },
    // The worker is its own entry of the bundle (scripts/build-cli.mjs), at a fixed place in dist/.
    () => new Worker(packagePath('dist/otel-worker.js')),
  );
  try {
    let next = 0;
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= files.length) return resolve();
              const id = next++;
              worker.postMessage({ id, file: files[id], display: relative(cwd, files[id]!) || files[id] });
            };
            worker.on('message', (m: { result?: OtelFileResult; error?: string }) => {
              if (m.error) return reject(new Error(m.error));
              const r = m.result!;
              fold.addFile(r.extracted, r.badLines, r.problems);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const coverage = fold.coverage;
  if (options.strict && coverage.badLines > 0) {
    const [first] = coverage.problems;
    const [file, line] = (first ?? '').split(':');
    throw new UserError(
      `${coverage.badLines} unreadable telemetry line${coverage.badLines === 1 ? '' : 's'} (--strict): ${first?.split(': ').slice(1).join(': ')}`,
      { file: file ?? cwd, line: Number(line) || undefined },
    );
  }
  return { repos: fold.result(), coverage };
}
