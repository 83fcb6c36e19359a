import { Chalk, type ChalkInstance } from 'chalk';

/** Where a command's words go: results to stdout, progress and diagnostics to stderr. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** The one JSON document of a --json run. */
  json(value: unknown): void;
  color: ChalkInstance;
  isJson: boolean;
}

export interface OutputOptions {
  json: boolean;
  color: boolean;
  /** --quiet: no human-readable results on stdout (errors and --json documents still appear). */
  quiet?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export function createOutput({
  json,
  color,
  quiet = false,
  stdout = process.stdout,
  stderr = process.stderr,
}: OutputOptions): Output {
  return {
    out: (text) => {
      if (!json && !quiet) stdout.write(`${text}\n`);
    },
    err: (text) => stderr.write(`${text}\n`),
    json: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    color: new Chalk({ level: color ? 1 : 0 }),
    isJson: json,
  };
}
