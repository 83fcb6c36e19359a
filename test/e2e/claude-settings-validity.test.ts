import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { gitdir, snapshot } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Valid means what the client accepts. Each variant of a settings file is given to the real
 * client first: a SessionStart hook in the same file touches a marker, so the marker says whether
 * the client kept the file. Then spine judges the same file: it must refuse exactly the files the
 * client drops (exit 2, one line naming the cause) and accept the rest. Findings: docs/settings-validity.md.
 */
type Settings = Record<string, unknown>;
const probe = (extra: Record<string, unknown> = {}) => ({
  type: 'command',
  command: 'touch "$CLAUDE_PROJECT_DIR/.client-loaded"',
  ...extra,
});
const withProbe = (settings: Settings, handler: Record<string, unknown> = {}, group: Settings = {}) => ({
  ...settings,
  hooks: {
    ...(settings.hooks as object),
    SessionStart: [{ ...group, hooks: [probe(handler)] }],
  },
});

const VARIANTS: { name: string; settings: Settings; kept: boolean; cause?: RegExp }[] = [
  {
    name: 'an unknown key on a hook handler (plane: _origin)',
    settings: withProbe({}, { _origin: 'plane' }),
    kept: true,
  },
  {
    name: 'an unknown key on a hook matcher group',
    settings: withProbe({}, {}, { _origin: 'plane' }),
    kept: true,
  },
  {
    name: 'an unknown key inside permissions',
    settings: withProbe({ permissions: { allow: [], _note: 'x' } }),
    kept: true,
  },
  { name: 'an unknown top-level key', settings: withProbe({ _origin: 'plane' }), kept: true },
  {
    name: 'a wrong type of a known key (model: 123)',
    settings: withProbe({ model: 123 }),
    kept: false,
    cause: /model: must be string/,
  },
  {
    name: 'a wrong enum value (defaultMode: yolo)',
    settings: withProbe({ permissions: { defaultMode: 'yolo' } }),
    kept: false,
    cause: /permissions\.defaultMode: must be one of/,
  },
  {
    name: 'a wrong type inside a hook handler (timeout: "5")',
    settings: withProbe({}, { timeout: 'five' }),
    kept: false,
    cause: /timeout: must be number/,
  },
  {
    name: 'an unknown hook event name (PreToolUs)',
    settings: withProbe({ hooks: { PreToolUs: [{ hooks: [{ type: 'command', command: 'true' }] }] } }),
    kept: true,
  },
];

describe('settings validity is judged like the real client', () => {
  const kept = new Map<string, boolean>();
  let server: ModelServer;

  beforeAll(async () => {
    server = await startModelServer({ main: [{ text: 'done' }] });
    const queue = [...VARIANTS];
    const worker = async () => {
      for (let v = queue.shift(); v; v = queue.shift()) {
        const repo = gitdir({ '.claude/settings.json': `${JSON.stringify(v.settings, null, 2)}\n` });
        const run = await runClaude({ prompt: 'hello', cwd: repo, baseUrl: server.baseUrl });
        if (run.code !== 0) throw new Error(`${v.name}: claude exited ${run.code}: ${run.stderr}`);
        kept.set(v.name, existsSync(join(repo, '.client-loaded')));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 240_000);
  afterAll(() => server?.close());

  it.each(VARIANTS)(
    '$name',
    async (variant) => {
      // What the client did (verified here, every run) is what this table claims.
      expect(kept.get(variant.name)).toBe(variant.kept);

      const repo = gitdir({ '.claude/settings.json': `${JSON.stringify(variant.settings, null, 2)}\n` });
      const before = snapshot(repo);
      const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
      if (variant.kept) {
        expect(init.code, init.stderr).toBe(0);
      } else {
        expect(init.code).toBe(2);
        expect(init.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(init.stderr).toMatch(/^spine: \.claude\/settings\.json:\d+:\d+: /);
        expect(init.stderr).toMatch(variant.cause!);
        expect(snapshot(repo)).toEqual(before);
      }
    },
    60_000,
  );

  it('names an unknown key as a warning, in one line, and keeps the hooks', async () => {
    const repo = gitdir({
      '.claude/settings.json': `${JSON.stringify(withProbe({}, { _origin: 'plane' }), null, 2)}\n`,
    });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toMatch(
      /SessionStart\[0\]\.hooks\[0\]: unknown key "_origin"; Claude Code ignores it/,
    );
    expect(init.stderr).not.toMatch(/prompt|url|server/);
    expect(init.stderr.split('\n').filter((l) => l.includes('_origin'))).toHaveLength(1);
  });

  it('names an unknown hook event as a warning', async () => {
    const settings = withProbe({ hooks: { PreToolUs: [{ hooks: [{ type: 'command', command: 'true' }] }] } });
    const repo = gitdir({ '.claude/settings.json': `${JSON.stringify(settings, null, 2)}\n` });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toMatch(/hooks: "PreToolUs" is not a hook event .*Claude Code ignores it/);
  });
});
