import { describe, expect, it } from 'vitest';
import { gitdir, read, snapshot } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

describe('optional OpenTelemetry', () => {
  it("sets Claude Code's telemetry environment in the team settings, tagged with the team", async () => {
    const spine = spineCopy((dir) =>
      editFile(dir, 'guardrails/audit.yaml', (text) =>
        text.replace(
          'telemetry:\n  enabled: false',
          [
            'telemetry:',
            '  enabled: true',
            '  endpoint: https://otel.example.com:4318',
            '  protocol: http/protobuf',
            '  resourceAttributes:',
            '    department: engineering',
          ].join('\n'),
        ),
      ),
    );
    const repo = gitdir();
    const result = await runCli(
      ['init', '--yes', '--team', 'payments', '--champion', 'c', '--spine', spine],
      {
        cwd: repo,
      },
    );
    expect(result.stderr).toBe('');
    const env = JSON.parse(read(repo, '.claude/settings.json')).env;
    expect(env).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318',
      // Attribution: every record names team, spine and champion (and the repo id, with an origin).
      OTEL_RESOURCE_ATTRIBUTES:
        'department=engineering,spine.team=payments,spine.name=default-spine,spine.version=1.0.0,spine.champion=c',
    });
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect(
      lock.settings.find((e: { key: string }) => e.key === 'env:CLAUDE_CODE_ENABLE_TELEMETRY'),
    ).toMatchObject({
      id: 'audit-log',
      level: 'locked',
      owner: 'spine',
    });
  });

  it.each([
    { protocol: undefined, expected: 'http/protobuf' },
    { protocol: 'http/json', expected: 'http/json' },
  ])(
    "gives Claude Code's exporter and the hook's the same protocol ($expected)",
    async ({ protocol, expected }) => {
      const spine = spineCopy((dir) =>
        editFile(dir, 'guardrails/audit.yaml', (text) =>
          text.replace(
            'telemetry:\n  enabled: false',
            `telemetry:\n  enabled: true\n  endpoint: https://otel.example.com:4318${protocol ? `\n  protocol: ${protocol}` : ''}`,
          ),
        ),
      );
      const repo = gitdir();
      const result = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
        cwd: repo,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(read(repo, '.claude/settings.json')).env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe(expected);
      expect(JSON.parse(read(repo, '.claude/hooks/spine-policy.json')).telemetry).toEqual({
        endpoint: 'https://otel.example.com:4318',
        protocol: expected,
      });
    },
  );

  it('refuses a spine that asks for gRPC: exit 2, file:line:col, nothing written', async () => {
    const spine = spineCopy((dir) =>
      editFile(dir, 'guardrails/audit.yaml', (text) =>
        text.replace(
          'telemetry:\n  enabled: false',
          'telemetry:\n  enabled: true\n  endpoint: https://otel.example.com:4317\n  protocol: grpc',
        ),
      ),
    );
    const repo = gitdir();
    const before = snapshot(repo);
    const result = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
      cwd: repo,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^spine: \S*spine\/guardrails\/audit\.yaml:28:13: protocol grpc: spine's own records go over OTLP\/HTTP only; use http\/protobuf .*\n$/,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  it('sets nothing when the spine leaves telemetry off', async () => {
    const repo = gitdir();
    await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(JSON.parse(read(repo, '.claude/settings.json')).env).toBeUndefined();
  });
});
