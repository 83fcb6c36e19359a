import { describe, expect, it } from 'vitest';
import { effectiveSettings, entryFromLock, entryState } from '../../src/core/effective-settings.js';
import type { LockedEntry } from '../../src/core/lock/lock.js';
import type { SettingsEntry } from '../../src/core/render/desired-state.js';
import { domainProblem, toSandboxPath } from '../../src/core/sandbox/sandbox-path.js';
import { itemKey } from '../../src/core/sandbox/settings-item.js';
import { mergeSettings } from '../../src/core/settings/merge-settings.js';
import { mergeSettingsThreeWay } from '../../src/core/update/settings-three-way.js';

const DENY_READ = ['sandbox', 'filesystem', 'denyRead'];
const ENV_VARS = ['sandbox', 'credentials', 'envVars'];
const item = (
  path: string[],
  value: SettingsEntry['value'] & (string | object),
  id = 'g',
): SettingsEntry => ({
  kind: 'item',
  key: itemKey(path, value as never),
  id,
  level: 'locked',
  path,
  value: value as never,
});
const locked = (entry: SettingsEntry): LockedEntry => ({
  key: entry.key,
  id: entry.id,
  level: entry.level,
  owner: 'spine',
  value: entry.value,
});

describe('secret globs in the sandbox path syntax', () => {
  it.each([
    ['**/.env', '**/.env'],
    ['~/.ssh/**', '~/.ssh/**'],
    ['//etc/secret', '//etc/secret'],
    ['.env', './.env'],
    ['config/*.key', './config/*.key'],
    ['./x.pem', './x.pem'],
    // Project-root-relative in permission rules; "/x" is relative to .claude/ in the sandbox.
    ['/deploy/key.pem', './deploy/key.pem'],
    ['**/.e[n]v', '**/.e[n]v'],
    ['**/id_rsa?', '**/id_rsa?'],
  ])('%s → %s', (glob, path) => {
    expect(toSandboxPath(glob)).toEqual({ path });
  });

  it.each([
    ['**/.env.{local,prod}', /brace/],
    ['!**/.env', /negated/],
    ['**/@(a|b).pem', /extended/],
    ['../outside/.env', /\.\./],
    ['~bob/.ssh/id_rsa', /~user/],
    ['**/a\\*b', /backslash/],
  ])('%s has no sandbox form', (glob, why) => {
    const result = toSandboxPath(glob);
    expect('error' in result && result.error).toMatch(why);
  });
});

describe('network domain patterns', () => {
  it.each(['registry.npmjs.org', '*.github.com', 'localhost', '10.0.0.1', 'a-b.example.co.uk'])(
    '%s is a domain pattern',
    (d) => expect(domainProblem(d)).toBeUndefined(),
  );
  it.each([
    ['https://github.com', /URL/],
    ['github.com/org', /path/],
    ['github.com:443', /port/],
    ['*', /every host/],
    ['git*.com', /not a domain/],
    ['exa mple.com', /not a domain/],
    ['-bad.com', /not a domain/],
  ])('%s is refused', (d, why) => expect(domainProblem(d)).toMatch(why));
});

describe('array settings owned element by element', () => {
  const env = item(ENV_VARS, { name: 'NPM_TOKEN', mode: 'deny' });
  const dotenv = item(DENY_READ, '**/.env');

  it('merges into a team file beside its own entries, once', () => {
    const text = '{\n  "sandbox": {\n    "filesystem": {\n      "denyRead": ["./mine"]\n    }\n  }\n}\n';
    const first = mergeSettings(text, [dotenv, env]);
    const value = JSON.parse(first.text);
    expect(value.sandbox.filesystem.denyRead).toEqual(['./mine', '**/.env']);
    expect(value.sandbox.credentials.envVars).toEqual([{ name: 'NPM_TOKEN', mode: 'deny' }]);
    expect(first.added).toEqual([dotenv.key, env.key]);
    expect(mergeSettings(first.text, [dotenv, env]).added).toEqual([]);
  });

  it('is in force in either settings file, changed when an element of the same name differs', () => {
    const layers = (local: object) =>
      effectiveSettings([
        { file: '.claude/settings.json', value: {} },
        { file: '.claude/settings.local.json', value: local },
      ]);
    expect(entryState(layers({ sandbox: { filesystem: { denyRead: ['**/.env'] } } }), dotenv).state).toBe(
      'in-force',
    );
    expect(entryState(layers({}), dotenv).state).toBe('missing');
    expect(
      entryState(
        layers({ sandbox: { credentials: { envVars: [{ name: 'NPM_TOKEN', mode: 'allow' }] } } }),
        env,
      ),
    ).toMatchObject({ state: 'changed', file: '.claude/settings.local.json' });
  });

  it('is rebuilt from its lock record', () => {
    expect(entryFromLock(locked(env))).toEqual(env);
    expect(entryFromLock(locked(dotenv))).toEqual(dotenv);
  });

  it('updates three-way: adds new elements, removes dropped ones, keeps the team’s', () => {
    const pem = item(DENY_READ, '**/*.pem');
    const text = JSON.stringify(
      { sandbox: { filesystem: { denyRead: ['**/.env', './team-only'] } } },
      null,
      2,
    );
    const result = mergeSettingsThreeWay({ text, base: [locked(dotenv)], theirs: [pem], moves: [] });
    expect(JSON.parse(result.text).sandbox.filesystem.denyRead).toEqual(['./team-only', '**/*.pem']);
    expect(result.pending).toEqual([]);
  });

  it('a locally removed element the new version still has stays removed, without conflict', () => {
    const text = JSON.stringify({ sandbox: { filesystem: { denyRead: [] } } });
    const result = mergeSettingsThreeWay({ text, base: [locked(dotenv)], theirs: [dotenv], moves: [] });
    expect(result.changed).toBe(false);
    expect(result.rows.map((r) => r.sign)).toEqual(['=']);
  });
});
