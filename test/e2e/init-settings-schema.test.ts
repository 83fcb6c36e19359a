import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { gitdir, read } from '../helpers/gitdir.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

// The public SchemaStore schema for Claude Code settings (Apache-2.0; see schemas/vendor/NOTICE.md).
const schema = JSON.parse(
  readFileSync(`${REPO_ROOT}schemas/vendor/claude-code-settings.schema.json`, 'utf8'),
);

describe('the settings init writes', () => {
  it('validate against the public Claude Code settings schema, unknown keys included', async () => {
    const repo = gitdir({
      '.claude/settings.json': '{"model":"sonnet","permissions":{"allow":["Bash(npm test)"]}}\n',
    });
    expect((await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo })).code).toBe(0);
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    const ok = validate(settings);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema must be able to fail: a value Claude Code would drop.
    expect(validate({ ...settings, permissions: { ...settings.permissions, defaultMode: 'yolo' } })).toBe(
      false,
    );
  });
});
