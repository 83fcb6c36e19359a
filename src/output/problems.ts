import type { ChalkInstance } from 'chalk';
import type { Problem } from '../core/problems.js';
import { formatLocation } from '../errors.js';

export function formatProblem(p: Problem, c: ChalkInstance): string {
  const tag = p.severity === 'error' ? c.red('error') : c.yellow('warning');
  return `${tag} ${formatLocation(p)}: ${p.message}`;
}
