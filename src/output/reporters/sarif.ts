import type { Finding, Severity } from '../../core/findings.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export interface SarifOptions {
  version: string;
  /** Every code doctor can report: the SARIF rules, so a code scanning UI knows them all. */
  codes: string[];
}

/** SARIF 2.1.0 for code scanning (GitHub shows each result inline at its file and line). */
export function sarifReport(findings: Finding[], options: SarifOptions) {
  const codes = [...new Set([...options.codes, ...findings.map((f) => f.code)])];
  const index = new Map(codes.map((code, i) => [code, i]));
  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'spine',
            semanticVersion: options.version,
            rules: codes.map((code) => ({
              id: code,
              name: code.replace(/-(.)/g, (_, ch: string) => ch.toUpperCase()),
              shortDescription: { text: `spine doctor: ${code.replace(/-/g, ' ')}` },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code)!,
          level: LEVEL[f.severity],
          message: { text: `${f.message}. Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.path, uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.line ?? 1,
                  ...(f.column !== undefined ? { startColumn: f.column } : {}),
                },
              },
            },
          ],
          ...(f.guardrail !== undefined ? { properties: { guardrail: f.guardrail } } : {}),
        })),
        columnKind: 'unicodeCodePoints' as const,
      },
    ],
  };
}
