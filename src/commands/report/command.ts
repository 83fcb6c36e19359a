import { availableParallelism } from 'node:os';
import { defineCommand, nonEmpty, positiveInt } from '../../cli-define.js';

export interface ReportFlags {
  facts?: string[];
  otel?: string[];
  strict?: boolean;
  pioneer?: string;
  since?: string;
  html?: string;
  spine?: string;
  org?: string;
  concurrency?: string;
  doctor: boolean;
  offline?: boolean;
}

export const reportCommand = defineCommand<ReportFlags>({
  name: 'report',
  description: 'org view over team repos or collected facts: lag, drift, skill reuse, near-misses, ramp',
  arguments: [{ syntax: '[repos...]' }],
  flags: [
    {
      flags: '--facts <path...>',
      description: 'facts files collected elsewhere: files, directories or globs',
    },
    {
      flags: '--otel <path...>',
      description:
        "an OpenTelemetry Collector's file-exporter output (OTLP JSON, gzip ok): files, directories or globs",
    },
    {
      flags: '--strict',
      description: 'unreadable telemetry lines are an error (exit 2), not skipped and counted',
    },
    {
      flags: '--pioneer <team>',
      description: 'the team others are measured against (default: the earliest onboarded)',
    },
    { flags: '--since <date>', description: 'activity from this date (YYYY-MM-DD) on' },
    { flags: '--html <file>', description: 'also write a self-contained HTML page' },
    { flags: '--spine <dir>', description: 'a local clone of the spine to read release tags from' },
    {
      flags: '--org <forge:org>',
      description: 'also count github:<org> / gitlab:<group> repositories not given: who has not started',
    },
    { flags: '--concurrency <n>', description: 'worker processes computing facts (default: one per core)' },
    { flags: '--no-doctor', description: 'skip the drift check per repo (faster)' },
    { flags: '--offline', description: 'use the cached spine only' },
  ],
  examples: [
    'spine report ../payments ../search --html report.html',
    'spine report --facts facts/ --since 30d --json',
    'spine report --facts facts/ --org github:acme',
  ],
  run: async ({ base, out, flags: f, args }) => {
    const { runReport } = await import('./index.js');
    await runReport(
      {
        ...base,
        repos: args.map((r) => nonEmpty(r, 'a team repo path')!),
        facts: f.facts ?? [],
        otel: f.otel ?? [],
        strict: Boolean(f.strict),
        pioneer: f.pioneer,
        since: f.since,
        html: f.html,
        spine: f.spine,
        org: nonEmpty(f.org, '--org'),
        concurrency: positiveInt(f.concurrency, '--concurrency') ?? availableParallelism(),
        doctor: f.doctor !== false,
        offline: Boolean(f.offline),
      },
      out,
    );
  },
});
