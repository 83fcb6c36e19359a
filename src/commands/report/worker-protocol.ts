import type { Facts } from '../../core/report/facts.js';
import type { BaseOptions } from '../../options.js';

/** What a facts worker needs to know once: the same for every repo of a report. */
export interface WorkerSetup {
  base: BaseOptions;
  /** ISO date-time: every document of one report is taken at the same "now". */
  now: string;
  tool: string;
  doctor: boolean;
  offline: boolean;
}

export type WorkerRequest =
  | { kind: 'setup'; setup: WorkerSetup }
  /** A chunk of repos, started together. */
  | { kind: 'repos'; repos: { id: number; root: string }[] };

/** One repo's outcome: its facts, or why it could not be read (bad input), or an internal failure. */
export type WorkerReply =
  | { id: number; kind: 'facts'; facts: Facts; doctorUnavailable?: string }
  | { id: number; kind: 'unreadable'; message: string }
  | { id: number; kind: 'failed'; message: string; stack?: string };
