import { UserError } from '../../errors.js';

/**
 * `--since`: a day (`2030-01-31`, UTC midnight), an ISO time (`2030-01-31T12:00:00Z`) or a
 * duration back from now (`36h`, `7d`, `2w`). Anything else is bad input (exit 2).
 */
export function parseSince(value: string, now: Date): Date {
  const text = value.trim();
  const duration = /^(\d+)([hdw])$/.exec(text);
  if (duration) {
    const hours = Number(duration[1]) * ({ h: 1, d: 24, w: 168 } as const)[duration[2] as 'h' | 'd' | 'w'];
    return new Date(now.getTime() - hours * 3_600_000);
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text) return date;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UserError(
    `--since "${value}" is not a date: use YYYY-MM-DD, an ISO time with a zone (2030-01-31T12:00:00Z) or a duration such as 7d`,
  );
}
