/**
 * `Date#toISOString` without its cost: V8 loads the time zone database (reading /etc/localtime
 * and resolving its links, about a quarter of a millisecond) the first time a process formats a
 * date, even in UTC. Each audit record needs one timestamp; this computes it from the time value
 * (days to civil date: Howard Hinnant's algorithm) and matches toISOString for years 0–9999.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  const days = Math.floor(ms / 86_400_000);
  const inDay = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isFinite(ms) || year < 0 || year > 9999) return date.toISOString();
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor((inDay % 3_600_000) / 60_000);
  const seconds = Math.floor((inDay % 60_000) / 1000);
  const millis = inDay % 1000;
  return `${`000${year}`.slice(-4)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${`00${millis}`.slice(-3)}Z`;
}

/** The UTC day of `date`, `YYYY-MM-DD`: the audit log's file name. */
export function isoDay(date: Date): string {
  return isoTime(date).slice(0, 10);
}
