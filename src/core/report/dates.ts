const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant, in UTC. */
export function utcDate(value: string | number | Date): string {
  return new Date(value).toISOString().slice(0, 10);
}

/** Monday (UTC) of the ISO week that holds the date. */
export function weekOf(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const offset = (d.getUTCDay() + 6) % 7;
  return utcDate(d.getTime() - offset * DAY_MS);
}

export function addDays(date: string, days: number): string {
  return utcDate(new Date(`${date.slice(0, 10)}T00:00:00Z`).getTime() + days * DAY_MS);
}

/** Whole days from a to b (b later → positive). */
export function daysBetween(a: string, b: string): number {
  return Math.round(
    (new Date(`${b.slice(0, 10)}T00:00:00Z`).getTime() - new Date(`${a.slice(0, 10)}T00:00:00Z`).getTime()) /
      DAY_MS,
  );
}

/** Whole weeks from week a to week b. */
export function weeksBetween(a: string, b: string): number {
  return Math.round(daysBetween(weekOf(a), weekOf(b)) / 7);
}

/** Every week start from a to b inclusive. */
export function weekRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let w = weekOf(from); w <= to; w = addDays(w, 7)) out.push(w);
  return out;
}
