import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pathClass } from '../../src/hooks/friction.js';
import { handleEvent } from '../../src/hooks/run-hook.js';
import type { HookPayload, HookPolicy } from '../../src/hooks/types.js';
import { tempDir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

/**
 * Friction: ordinary work a guardrail stopped. The sandbox's refusals are only visible in a
 * command's output; the guard's in its verdict. Either is recorded as a class, never a value.
 */
let policy: HookPolicy;
const projectDir = tempDir('spine-friction-');
const home = '/home/dev';
const ctx = { projectDir, cwd: projectDir, home, now: new Date('2026-12-01T10:00:00Z') };

beforeAll(async () => {
  policy = { ...(await embeddedPolicy()), audit: null };
  writeFileSync(join(projectDir, 'server.key'), '-----BEGIN PRIVATE KEY-----\nMIIE\n');
});

const post = (stderr: string, command = 'x', event = 'PostToolUse'): HookPayload => ({
  hook_event_name: event,
  tool_name: 'Bash',
  tool_input: { command },
  ...(event === 'PostToolUse' ? { tool_response: { stdout: '', stderr } } : { error: stderr }),
});

describe('a sandbox refusal of ordinary work', () => {
  it.each([
    [
      'npm',
      "npm error code EROFS\nnpm error EROFS: read-only file system, mkdir '/home/dev/.npm/_cacache'",
      '~/.npm',
    ],
    ['python', "OSError: [Errno 30] Read-only file system: '/home/dev/.cache/pip/http/a'", '~/.cache/pip'],
    [
      'coreutils',
      "touch: cannot touch '/home/dev/.claude/logs/run.log': Read-only file system",
      '~/.claude/logs',
    ],
    ['bash', '/bin/bash: line 1: /home/dev/.bash_history: Read-only file system', '~/.bash_history'],
    ['go', 'go: creating work dir: mkdir /home/dev/go/pkg/mod/cache: read-only file system', '~/go/pkg'],
    [
      'cargo',
      'error: failed to create directory `/home/dev/.cargo/registry/cache/index`\n\nCaused by:\n  Read-only file system (os error 30)',
      '~/.cargo/registry',
    ],
    [
      'pnpm',
      "EROFS: read-only file system, open '/home/dev/.local/share/pnpm/store/v3/x'",
      '~/.local/share/pnpm/store',
    ],
    [
      'npx (a launcher directory, read-only on purpose)',
      "EROFS: read-only file system, mkdir '/home/dev/.npm/_npx/1a2b3c/node_modules'",
      '~/.npm/_npx',
    ],
    [
      'corepack (a launcher directory, read-only on purpose)',
      "EROFS: read-only file system, open '/home/dev/.cache/node/corepack/v1/pnpm/9.0.0/x'",
      '~/.cache/node/corepack',
    ],
    ['npm cache', "EROFS: read-only file system, mkdir '/home/dev/.npm/_cacache/tmp'", '~/.npm'],
    [
      'pnpm global bin (PNPM_HOME, kept read-only)',
      "EROFS: read-only file system, open '/home/dev/.local/share/pnpm/node'",
      '~/.local/share/pnpm',
    ],
    [
      'a path outside home',
      "mkdir: cannot create directory '/usr/local/lib/x': Read-only file system",
      '/usr/local',
    ],
  ])('%s: a write friction of its directory', (_, stderr, cls) => {
    const result = handleEvent(post(stderr), policy, ctx, () => {});
    expect(result.verdict).toBeUndefined();
    expect(result.friction).toEqual({
      layer: 'sandbox',
      kind: 'write',
      class: cls,
      guardrail: 'sandbox-enabled',
    });
  });

  it('npm missing its cache directory under a read-only home is write friction; elsewhere it is not', () => {
    const stderr =
      "npm error code ENOENT\nnpm error enoent ENOENT: no such file or directory, mkdir '/home/dev/.npm/_cacache'";
    expect(handleEvent(post(stderr), policy, ctx, () => {}).friction).toMatchObject({
      kind: 'write',
      class: '~/.npm',
    });
    const outside = "ENOENT: no such file or directory, mkdir '/srv/app/build/x'";
    expect(handleEvent(post(outside), policy, ctx, () => {}).friction).toBeUndefined();
  });

  it('a failure event counts the same', () => {
    const stderr = "Exit code 1\nnpm error EROFS: read-only file system, mkdir '/home/dev/.npm/_logs'";
    expect(
      handleEvent(post(stderr, 'npm ci', 'PostToolUseFailure'), policy, ctx, () => {}).friction,
    ).toMatchObject({
      kind: 'write',
      class: '~/.npm',
    });
  });

  it('a path inside the repo is named relative to it', () => {
    const stderr = `cp: cannot create regular file '${projectDir}/.git/hooks/pre-commit': Read-only file system`;
    expect(handleEvent(post(stderr), policy, ctx, () => {}).friction?.class).toBe('./.git/hooks');
  });

  it('a refusal outright of a file that is not secret is access friction', () => {
    const result = handleEvent(post('cat: docs/notes.txt: Permission denied'), policy, ctx, () => {});
    expect(result.friction).toMatchObject({ layer: 'sandbox', kind: 'access', class: './docs/notes.txt' });
  });

  it.each([
    [
      'curl',
      'curl: (56) CONNECT tunnel failed, response 403',
      'curl -fsSL https://example.org/install.sh',
      'example.org',
    ],
    [
      'the proxy',
      'Connection blocked by network allowlist',
      'npm view left-pad --registry https://npm.corp.example.com/',
      'npm.corp.example.com',
    ],
    [
      'a URL in the output',
      'GET https://pypi.internal.example/simple/x/\nConnection blocked by network allowlist',
      'pip install x',
      'pypi.internal.example',
    ],
  ])('%s: a blocked host is network friction, named by host only', (_, stderr, command, host) => {
    expect(handleEvent(post(stderr, command), policy, ctx, () => {}).friction).toEqual({
      layer: 'sandbox',
      kind: 'network',
      class: host,
      guardrail: 'sandbox-enabled',
    });
  });

  it('a URL that carries credentials gives its host, never the credentials', () => {
    const r = handleEvent(
      post(
        'curl: (56) CONNECT tunnel failed, response 403',
        'curl https://bob:hunter2@git.example.com/x.git',
      ),
      policy,
      ctx,
      () => {},
    );
    expect(r.friction?.class).toBe('git.example.com');
    expect(JSON.stringify(r.friction)).not.toContain('hunter2');
  });

  it.each([
    ['a secret read', 'cat: .env: Permission denied'],
    ['a secret written', 'bash: /home/dev/.aws/credentials: Read-only file system'],
    ['nothing refused', 'added 12 packages in 1s'],
  ])('%s is not friction', (_, stderr) => {
    expect(handleEvent(post(stderr), policy, ctx, () => {}).friction).toBeUndefined();
  });

  it('a token in a path is redacted from the class', () => {
    const token = `ghp_${'a1B2'.repeat(9)}`;
    const stderr = `touch: cannot touch '/home/dev/${token}/x': Read-only file system`;
    const f = handleEvent(post(stderr), policy, ctx, () => {}).friction;
    expect(f?.kind).toBe('write');
    expect(JSON.stringify(f)).not.toContain(token);
  });

  it('needs a spine that turns the sandbox on', () => {
    const off = { ...policy, sandbox: null };
    const stderr = "EROFS: read-only file system, mkdir '/home/dev/.npm/_cacache'";
    expect(handleEvent(post(stderr), off, ctx, () => {}).friction).toBeUndefined();
  });
});

describe('a guard refusal of a command that prints no contents', () => {
  const pre = (command: string): HookPayload => ({
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command },
  });

  it.each([
    ['touch server.key', 'touch'],
    ['mkdir -p build && rm -f server.key', 'mkdir'],
  ])('%s: guard friction named by its program', (command, program) => {
    const result = handleEvent(pre(command), policy, ctx, () => {});
    expect(result.verdict).toMatchObject({ decision: 'deny', layer: 'guard' });
    expect(result.friction).toEqual({
      layer: 'guard',
      kind: 'command',
      class: program,
      guardrail: result.verdict?.rule,
    });
  });

  it.each([
    'cat server.key',
    'wc -c server.key; cat server.key',
    'wc -c < server.key',
    'find . -name server.key -exec cat {} +',
    'cp server.key notes.txt',
  ])('%s: a refusal that is no friction', (command) => {
    const result = handleEvent(pre(command), policy, ctx, () => {});
    expect(result.verdict?.decision).toBe('deny');
    expect(result.friction).toBeUndefined();
  });
});

describe('pathClass', () => {
  it.each([
    ['/home/dev/.npm/_cacache/x', '~/.npm'],
    ['/home/dev/.config/gh/hosts.yml', '~/.config/gh'],
    ['/home/dev', '~'],
    ['/tmp/x/y', '/tmp'],
    ['/var/lib/x', '/var/lib'],
    [`${projectDir}/src/a/b.ts`, './src/a'],
  ])('%s → %s', (path, cls) => {
    expect(pathClass(path, home, projectDir)).toBe(cls);
  });
});
