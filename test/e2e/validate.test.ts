import { appendFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

const ALLOW = (rule: string) =>
  `\nallow:\n  - id: test-allow\n    rules:\n      - "${rule}"\n    level: default\n    why: test\n`;

describe('spine validate', () => {
  it('passes the embedded spine', async () => {
    const result = await runCli(['validate', 'spine'], { cwd: REPO_ROOT });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('default-spine v1.0.0 is valid');
    expect(result.code).toBe(0);
  });

  it('gives the findings as data with --json, and validates the current directory by default', async () => {
    const result = await runCli(['validate', '--json'], { cwd: EMBEDDED_SPINE });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, ok: true, spine: { name: 'default-spine' } });
    expect(json.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  });

  const cases: { name: string; code: string; at: RegExp; mutate: (dir: string) => void }[] = [
    {
      name: 'malformed YAML',
      code: 'yaml-syntax',
      at: /^spine\/spine\.yaml:\d+:\d+: error yaml-syntax /m,
      mutate: (d) => appendFileSync(join(d, 'spine.yaml'), 'owners: [unclosed\n'),
    },
    {
      name: 'a key the schema does not know',
      code: 'schema',
      at: /^spine\/guardrails\/permissions\.yaml:\d+:\d+: error schema /m,
      mutate: (d) =>
        editFile(d, 'guardrails/permissions.yaml', (t) =>
          t.replace('  id: no-bypass-mode', '  id: no-bypass-mode\n  colour: red'),
        ),
    },
    {
      name: 'strictAllowlist without a why',
      code: 'schema',
      at: /^spine\/guardrails\/network\.yaml:\d+:\d+: error schema .*why/m,
      mutate: (d) =>
        appendFileSync(
          join(d, 'guardrails/network.yaml'),
          '\nstrictAllowlist:\n  id: egress-strict\n  level: locked\n',
        ),
    },
    {
      name: 'strictAllowlist reusing a guardrail id',
      code: 'duplicate-id',
      at: /^spine\/guardrails\/network\.yaml:\d+: error duplicate-id /m,
      mutate: (d) =>
        appendFileSync(
          join(d, 'guardrails/network.yaml'),
          '\nstrictAllowlist:\n  id: egress-paste-sites\n  level: locked\n  why: no prompts\n',
        ),
    },
    {
      name: 'a guardrail id used twice',
      code: 'duplicate-id',
      at: /^spine\/guardrails\/permissions\.yaml:\d+: error duplicate-id /m,
      mutate: (d) =>
        editFile(d, 'guardrails/permissions.yaml', (t) =>
          t.replace('id: gate-package-publish', 'id: gate-git-push'),
        ),
    },
    {
      name: 'a permission rule Claude Code does not accept',
      code: 'rule-syntax',
      at: /^spine\/guardrails\/permissions\.yaml:\d+: error rule-syntax /m,
      mutate: (d) =>
        editFile(d, 'guardrails/permissions.yaml', (t) =>
          t.replace('"Bash(npm publish:*)"', '"Bash(npm publish:*"'),
        ),
    },
    {
      name: 'a rule both asked and allowed',
      code: 'contradiction',
      at: /^spine\/guardrails\/permissions\.yaml:\d+: error contradiction /m,
      mutate: (d) => appendFileSync(join(d, 'guardrails/permissions.yaml'), ALLOW('Bash(git push:*)')),
    },
    {
      name: 'an allow that a neverAllow forbids',
      code: 'never-allow',
      at: /^spine\/guardrails\/permissions\.yaml:\d+: error never-allow /m,
      mutate: (d) =>
        appendFileSync(join(d, 'guardrails/permissions.yaml'), ALLOW('Bash(curl https://example.com)')),
    },
    {
      name: 'a SKILL.md linking a file that is not there',
      code: 'missing-reference',
      at: /^spine\/skills\/review-change\/SKILL\.md:\d+:\d+: error missing-reference .*check-list\.md/m,
      mutate: (d) =>
        editFile(d, 'skills/review-change/SKILL.md', (t) =>
          t.replace('(checklist.md)', '(./check-list.md)').replace('[checklist.md]', '[x]'),
        ),
    },
    {
      name: 'a glossary alias that collides with another term',
      code: 'glossary-duplicate',
      at: /^spine\/glossary\.yaml:\d+: error glossary-duplicate /m,
      mutate: (d) =>
        editFile(d, 'glossary.yaml', (t) =>
          t.replace('aliases: [onboarded repo]', 'aliases: [onboarded repo, shared base]'),
        ),
    },
    {
      name: 'an agent without a description',
      code: 'agent-frontmatter',
      at: /^spine\/agents\/change-reviewer\.md:1: error agent-frontmatter /m,
      mutate: (d) => editFile(d, 'agents/change-reviewer.md', (t) => t.replace(/^description: .*\n/m, '')),
    },
    {
      name: 'a secret glob the sandbox path syntax cannot express',
      code: 'sandbox-glob',
      at: /^spine\/guardrails\/secrets\.yaml:19:10: error sandbox-glob secret glob of secret-dotenv "\*\*\/\.env\.\{production,prod\}" has no sandbox path form: brace/m,
      mutate: (d) =>
        editFile(d, 'guardrails/secrets.yaml', (t) =>
          t.replace('"**/.env.production"', '"**/.env.{production,prod}"'),
        ),
    },
    {
      name: 'a network domain that is not a domain pattern',
      code: 'network-domain',
      at: /^spine\/guardrails\/network\.yaml:\d+:9: error network-domain "https:\/\/pastebin\.com" in egress-paste-sites: a domain, not a URL/m,
      mutate: (d) =>
        editFile(d, 'guardrails/network.yaml', (t) => t.replace('- pastebin.com', '- https://pastebin.com')),
    },
    {
      name: 'a network entry the schema refuses (a domain list that is not a list)',
      code: 'schema',
      at: /^spine\/guardrails\/network\.yaml:\d+:\d+: error schema /m,
      mutate: (d) =>
        editFile(d, 'guardrails/network.yaml', (t) => t.replace('level: locked', 'level: strict')),
    },
    {
      name: 'a telemetry protocol spine cannot export its own records over (gRPC)',
      code: 'telemetry-protocol',
      at: /^spine\/guardrails\/audit\.yaml:27:13: error telemetry-protocol protocol grpc: .*OTLP\/HTTP only; use http\/protobuf/m,
      mutate: (d) =>
        editFile(d, 'guardrails/audit.yaml', (t) =>
          t.replace('telemetry:\n  enabled: false', 'telemetry:\n  enabled: false\n  protocol: grpc'),
        ),
    },
    {
      name: 'a telemetry endpoint on the cloud metadata address',
      code: 'telemetry-endpoint-link-local',
      at: /^spine\/guardrails\/audit\.yaml:27:3: error telemetry-endpoint-link-local endpoint 169\.254\.169\.254 is a link-local or cloud metadata address: .*allowLinkLocal: true/m,
      mutate: (d) =>
        editFile(d, 'guardrails/audit.yaml', (t) =>
          t.replace(
            'telemetry:\n  enabled: false',
            'telemetry:\n  enabled: true\n  endpoint: http://2852039166:4318',
          ),
        ),
    },
    {
      name: 'a telemetry endpoint named after a metadata service',
      code: 'telemetry-endpoint-link-local',
      at: /^spine\/guardrails\/audit\.yaml:27:3: error telemetry-endpoint-link-local endpoint metadata\.google\.internal /m,
      mutate: (d) =>
        editFile(d, 'guardrails/audit.yaml', (t) =>
          t.replace(
            'telemetry:\n  enabled: false',
            'telemetry:\n  enabled: true\n  endpoint: http://metadata.google.internal/computeMetadata',
          ),
        ),
    },
    {
      name: 'a sandbox allowWrite entry over a credential directory',
      code: 'sandbox-write-path',
      at: /^spine\/guardrails\/secrets\.yaml:133:30: error sandbox-write-path allowWrite entry "~\/\.ssh\/keys" of sandbox-temp-files may not become writable in the sandbox: it lies inside ~\/\.ssh \(SSH keys\)$/m,
      mutate: (d) =>
        editFile(d, 'guardrails/secrets.yaml', (t) =>
          t.replace('allowWrite: ["//tmp"]', 'allowWrite: ["//tmp", "~/.ssh/keys"]'),
        ),
    },
    {
      name: 'a sandbox allowWrite glob whose fixed part is the whole home directory',
      code: 'sandbox-write-path',
      at: /^spine\/guardrails\/secrets\.yaml:133:\d+: error sandbox-write-path allowWrite entry "~\/\.c\*" of sandbox-temp-files .*: it is the whole home directory/m,
      mutate: (d) =>
        editFile(d, 'guardrails/secrets.yaml', (t) =>
          t.replace('allowWrite: ["//tmp"]', 'allowWrite: ["//tmp", "~/.c*"]'),
        ),
    },
    {
      name: 'a sandbox allowWrite entry over a launcher directory no locked guardrail denies',
      code: 'sandbox-write-path',
      at: /^spine\/guardrails\/secrets\.yaml:133:\d+: error sandbox-write-path allowWrite entry "~\/\.cache\/pre-commit\/\*\*" of sandbox-temp-files .*: it is ~\/\.cache\/pre-commit \(pre-commit's hook environments/m,
      mutate: (d) =>
        editFile(d, 'guardrails/secrets.yaml', (t) =>
          t
            .replace('allowWrite: ["//tmp"]', 'allowWrite: ["//tmp", "~/.cache/pre-commit/**"]')
            .replace('        - "~/.cache/pre-commit"\n', ''),
        ),
    },
    {
      name: 'a symlink that leaves the spine (no line: the link itself is the problem)',
      code: 'symlink-escape',
      at: /^spine\/skills\/review-change\/passwd: error symlink-escape /m,
      mutate: (d) => symlinkSync('/etc/passwd', join(d, 'skills/review-change/passwd')),
    },
  ];

  it.each(cases)('fails on $name', async ({ code, at, mutate }) => {
    const dir = spineCopy(mutate);
    const cwd = join(dir, '..');
    const before = snapshot(cwd);
    const result = await runCli(['validate', 'spine'], { cwd });
    expect(result.stdout).toMatch(at);
    expect(result.stdout).toMatch(/invalid: \d+ error/);
    expect(result.code).toBe(1);
    const json = JSON.parse((await runCli(['validate', 'spine', '--json'], { cwd })).stdout);
    expect(json.ok).toBe(false);
    expect(json.problems.map((p: { code: string }) => p.code)).toContain(code);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('passes with warnings only, and follows a link with an anchor', async () => {
    const dir = spineCopy((d) => {
      editFile(d, 'skills/review-change/SKILL.md', (t) =>
        t.replace('(checklist.md)', '(checklist.md#correctness)'),
      );
      appendFileSync(join(d, 'guardrails/permissions.yaml'), ALLOW('Frobnicate(x)'));
    });
    const result = await runCli(['validate', dir], { cwd: dir });
    expect(result.stdout).toMatch(
      /guardrails\/permissions\.yaml:\d+: warning rule-syntax unknown tool "Frobnicate"/,
    );
    expect(result.stdout).not.toContain('missing-reference');
    expect(result.code).toBe(0);
  });

  it('accepts a link-local telemetry endpoint the spine allows explicitly', async () => {
    const dir = spineCopy((d) =>
      editFile(d, 'guardrails/audit.yaml', (t) =>
        t.replace(
          'telemetry:\n  enabled: false',
          'telemetry:\n  enabled: true\n  endpoint: http://[fe80::1]:4318\n  allowLinkLocal: true',
        ),
      ),
    );
    const result = await runCli(['validate', dir], { cwd: dir });
    expect(result.stdout).not.toContain('telemetry-endpoint-link-local');
    expect(result.code).toBe(0);
  });

  it('exits 2 when the directory cannot be read', async () => {
    const cwd = tempDir();
    const result = await runCli(['validate', 'no-such-dir'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('spine: no-such-dir: not a readable directory\n');
  });

  it('exits 2 outside a spine (a directory without spine.yaml is bad input, not an invalid spine)', async () => {
    const cwd = tempDir();
    appendFileSync(join(cwd, 'README.md'), '# a team repo\n');
    for (const [args, file] of [
      [['validate'], 'spine.yaml'],
      [['validate', '.', '--json'], 'spine.yaml'],
      [['validate', '--cwd', '..', `${cwd.split('/').pop()}`], `${cwd.split('/').pop()}/spine.yaml`],
    ] as const) {
      const result = await runCli([...args], { cwd });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(
        `spine: ${file}: not a spine: no spine.yaml here; run spine validate <spine-dir>, or spine new to start one\n`,
      );
    }
    expect(Object.keys(snapshot(cwd))).toEqual(['README.md']);
  });
});
