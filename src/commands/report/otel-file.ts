import { type Extracted, emptyExtracted } from '../../core/telemetry/extract.js';
import { ScanError, scanLogsRequest } from '../../core/telemetry/otlp-scan.js';
import { readLines } from '../../io/line-stream.js';

export interface OtelFileResult {
  extracted: Extracted;
  badLines: number;
  /** `file:line: cause` for the first few unreadable places. */
  problems: string[];
}

const MAX_PROBLEMS = 5;

/**
 * One Collector file-exporter file: each line an OTLP/JSON export request. A line that is not JSON
 * or not an export request is named and skipped, never fatal: one bad line must not drop a team's
 * year (its records read before the fault still count: they were well-formed). Lines of other
 * signals (metrics, traces) are not log records and are passed over quietly.
 */
export async function readOtelFile(file: string, display: string): Promise<OtelFileResult> {
  const extracted = emptyExtracted();
  const problems: string[] = [];
  let badLines = 0;
  let line = 0;
  const bad = (cause: string) => {
    badLines++;
    if (problems.length < MAX_PROBLEMS) problems.push(`${display}:${line}: ${cause}`);
  };
  try {
    for await (const buffer of readLines(file)) {
      line++;
      if (buffer.length === 0) continue;
      try {
        scanLogsRequest(buffer, extracted);
      } catch (error) {
        if (!(error instanceof ScanError)) throw error;
        bad(error.message);
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause =
      code === 'LINE_TOO_LONG'
        ? `line ${line + 1} ${(error as Error).message} (no Collector writes such a line)`
        : code === 'ZSTD'
          ? 'zstd-compressed: decompress it first (zstd -d), spine reads plain and gzip files'
          : code === 'Z_BUF_ERROR' || /unexpected end/i.test(String((error as Error).message))
            ? 'truncated gzip file'
            : code === 'Z_DATA_ERROR'
              ? 'corrupt gzip data'
              : `unreadable (${code ?? (error as Error).message})`;
    badLines++;
    if (problems.length < MAX_PROBLEMS)
      problems.push(`${display}:${line + 1}: ${cause}; the lines before it were read`);
  }
  return { extracted, badLines, problems };
}
