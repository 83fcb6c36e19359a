import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/hooks/decide.js';
import { findSecretInCommand, SecretMatcher } from '../../src/hooks/secret-guard.js';
import type { HookPolicy } from '../../src/hooks/types.js';
import { tempDir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

let policy: HookPolicy;
let matcher: SecretMatcher;
const projectDir = tempDir('spine-git-blobs-');
const sub = join(projectDir, 'app');
const ctx = { projectDir, cwd: projectDir, home: '/home/dev' };

beforeAll(async () => {
  policy = await embeddedPolicy();
  matcher = new SecretMatcher(policy, ctx);
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(projectDir, 'README.md'), '# app\n');
});

// Git prints a tracked secret from its object store, where the OS sandbox does not look.
const MUST_BLOCK: [string, string][] = [
  ['git show :.env', 'secret-dotenv'],
  ['git show HEAD:.env', 'secret-dotenv'],
  ['git show HEAD~3:.env.production', 'secret-dotenv'],
  ['git show 1a2b3c4:config/.env', 'secret-dotenv'],
  ['git show :0:.env', 'secret-dotenv'],
  ['git show HEAD:./.env', 'secret-dotenv'],
  ['git show "HEAD:.env"', 'secret-dotenv'],
  ["git show 'HEAD:.env'", 'secret-dotenv'],
  ['git show HEAD:".e""nv"', 'secret-dotenv'],
  ['git show HEAD -- .env', 'secret-dotenv'],
  ['git cat-file -p HEAD:path/.env', 'secret-dotenv'],
  ['git cat-file blob HEAD:.env', 'secret-dotenv'],
  ['git cat-file -p :deploy/server.key', 'secret-keys'],
  ['git log -p -- .env', 'secret-dotenv'],
  ['git log --patch --follow -- .env.local', 'secret-dotenv'],
  ['git log -p .env', 'secret-dotenv'],
  ['git log -S sk_live -- .env', 'secret-dotenv'],
  ['git diff -- .env', 'secret-dotenv'],
  ['git diff --cached -- .env', 'secret-dotenv'],
  ['git diff HEAD~1 HEAD -- secrets/db.yaml', 'secret-stores'],
  ['git diff HEAD:.env HEAD~1:.env', 'secret-dotenv'],
  ['git grep TOKEN -- .env', 'secret-dotenv'],
  ['git grep -n TOKEN HEAD -- .env', 'secret-dotenv'],
  ['git grep TOKEN HEAD:.env', 'secret-dotenv'],
  ['git blame .env', 'secret-dotenv'],
  ['git archive HEAD .env | tar -xO', 'secret-dotenv'],
  ['git -C app show HEAD:.env', 'secret-dotenv'],
  ['git -C app log -p -- .env', 'secret-dotenv'],
  ['git -C "app" show ":.env"', 'secret-dotenv'],
  ['git -C app show HEAD:secrets/db.yaml', 'secret-stores'],
  ['git --no-pager show HEAD:.env', 'secret-dotenv'],
  ['git -c core.pager=cat show HEAD:.env', 'secret-dotenv'],
  ['git --git-dir=.git --work-tree=. show HEAD:.env', 'secret-dotenv'],
  ['git log -p -- ":/.env"', 'secret-dotenv'],
  ["git log -p -- ':(top).env'", 'secret-dotenv'],
  ["git log -p -- ':(top,literal).env'", 'secret-dotenv'],
  ["git diff -- ':(glob)**/.env'", 'secret-dotenv'],
  ['git stash show -p -- .env', 'secret-dotenv'],
  ['/usr/bin/git show HEAD:.env', 'secret-dotenv'],
  ['cd app && git show HEAD:.env', 'secret-dotenv'],
  ['GIT_PAGER=cat git show HEAD:.env', 'secret-dotenv'],
];

const MUST_ALLOW: string[] = [
  'git status',
  'git status --short',
  'git add .env.example',
  'git log --oneline',
  'git log --oneline -20',
  'git show HEAD',
  'git show HEAD:README.md',
  'git show HEAD:.env.example',
  'git cat-file -p HEAD:src/app.ts',
  'git diff',
  'git diff -- src',
  'git log -p -- src/app.ts',
  'git grep -n TODO -- src',
  'git -C app status',
  'git -C app show HEAD:package.json',
  'git show HEAD --stat',
  'git log --format=%H:%s',
  'git rm --cached .env',
  'git check-ignore -v .env',
  'git ls-files --error-unmatch .env',
  'git commit -m "stop tracking .env"',
  'git grep -n .env -- src',
  'git grep -e .env -e API_KEY -- src',
  "git diff -- . ':!.env'",
  "git log -p -- . ':(exclude).env'",
];

describe('git commands that print a secret blob are denied', () => {
  it.each(MUST_BLOCK)('%s', (command, id) => {
    expect(findSecretInCommand(command, matcher, ctx)?.id, command).toBe(id);
  });

  it.each(MUST_BLOCK.filter(([c]) => !c.startsWith('cd ')))('%s from a subdirectory', (command, id) => {
    expect(findSecretInCommand(command, matcher, { ...ctx, cwd: sub })?.id, command).toBe(id);
  });
});

describe('ordinary git is allowed', () => {
  it.each(MUST_ALLOW)('%s', (command) => {
    expect(findSecretInCommand(command, matcher, ctx)).toBeUndefined();
    expect(decide(policy, { tool: 'Bash', input: { command } }, ctx).decision).not.toBe('deny');
  });
});

// A spine may anchor a secret at the project root; git names tree paths from the top, not from
// the directory it runs in, so a guard that resolved them from the cwd would let these through.
describe('git paths are read the way git reads them', () => {
  const anchored = () =>
    new SecretMatcher(
      {
        secretPaths: [{ id: 'secret-rails', globs: ['/config/master.key', 'config/credentials.yml.enc'] }],
        allowPaths: [],
      },
      ctx,
    );
  const inApp = { ...ctx, cwd: sub };

  it.each([
    ['git show HEAD:config/master.key', inApp],
    ['git show :config/master.key', inApp],
    ['git show :2:config/credentials.yml.enc', inApp],
    ['git cat-file -p HEAD:config/master.key', inApp],
    ['git log -p -- :/config/master.key', inApp],
    ["git log -p -- ':(top)config/master.key'", inApp],
    ['git -C .. log -p -- config/master.key', inApp],
    ['git -C .. diff -- ./config/master.key', inApp],
    ['git show HEAD:../config/master.key', inApp],
    ['git -C app show HEAD:../config/master.key', ctx],
    ['git -C "$PWD/.." grep KEY -- config/credentials.yml.enc', inApp],
  ])('%s', (command, at) => {
    expect(findSecretInCommand(command, anchored(), at)?.id, command).toBe('secret-rails');
  });

  it.each([
    ['git show HEAD:app/config/master.key', ctx],
    ['git log -p -- config/master.key', inApp],
    ["git diff -- . ':!config/master.key'", ctx],
    ["git diff -- . ':(exclude)config/master.key'", ctx],
    ['git status config/master.key', inApp],
  ])('%s names no secret', (command, at) => {
    expect(findSecretInCommand(command, anchored(), at), command).toBeUndefined();
  });
});
