import type { Location } from '../errors.js';

/** A problem found while reading or checking input: data first, prose last. */
export interface Problem extends Location {
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

export function problem(
  code: string,
  message: string,
  location: Location,
  severity: 'error' | 'warning' = 'error',
): Problem {
  return { code, message, severity, ...location };
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}
