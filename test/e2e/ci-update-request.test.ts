import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHubFleet, startFakeGitHubFleet } from '../helpers/fake-github-fleet.js';
import { git, gitdir, read, tempDir, varTmp } from '../helpers/gitdir.js';
import { type LocalRegistry, startRegistry } from '../helpers/npm-registry.js';
import { EMBEDDED_SPINE, REPO_ROOT, runCli, TEST_PATH } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';
import { runJob, workflowSteps } from '../helpers/workflow-steps.js';

// spine.yaml `tool.updateRequests`: the workflow `init --ci github` writes gains a scheduled job
// that opens (or refreshes) the update pull request from inside the team repo. Its steps run
// for real: npm installs the packed CLI from a loopback registry, git pushes to the team's bare
// remote, and the pull request is opened on a loopback GitHub API.

const WORKFLOW = '.github/workflows/spine.yml';
const VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
let registry: LocalRegistry;
let forge: FakeGitHubFleet;
let spine: string;

beforeAll(async () => {
  registry = await startRegistry();
  forge = await startFakeGitHubFleet();
  const work = gitdir({}, 'spine-work-');
  cpSync(EMBEDDED_SPINE, work, { recursive: true });
  editFile(
    work,
    'spine.yaml',
    (t) => `${t}tool:\n  package: agent-spine\n  registry: ${registry.url}\n  updateRequests: true\n`,
  );
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'v1.0.0');
  git(work, 'tag', 'v1.0.0');
  editFile(work, 'spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
  editFile(work, 'CHANGELOG.md', (t) => t.replace('## 1.0.0', '## 1.1.0\n\n- a newer release.\n\n## 1.0.0'));
  git(work, 'commit', '-q', '-am', 'v1.1.0');
  git(work, 'tag', 'v1.1.0');
  spine = join(tempDir('spine-remote-'), 'spine.git');
  git(work, 'clone', '-q', '--bare', work, spine);
}, 120_000);
afterAll(async () => {
  await registry?.close();
  await forge?.close();
});

describe('the scheduled update request', () => {
  it('is in the workflow only when the spine asks for it', async () => {
    const plain = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--ci', 'github'], {
      cwd: plain,
    });
    expect(init.code, init.stderr).toBe(0);
    expect(read(plain, WORKFLOW)).not.toContain('update-request');
  });

  it('opens the update pull request from inside the repo, and a rerun refreshes the same one', async () => {
    const servers = tempDir('spine-git-server-');
    const work = gitdir({ 'README.md': '# payments\n' }, 'team-payments-');
    const cache = tempDir('spine-xdg-');
    const init = await runCli(
      [
        'init',
        '--spine',
        spine,
        '--ref',
        'v1.0.0',
        '--yes',
        '--team',
        'payments',
        '--champion',
        '@alice',
        '--ci',
        'github',
      ],
      { cwd: work, env: { XDG_CACHE_HOME: cache } },
    );
    expect(init.code, init.stderr).toBe(0);
    const text = read(work, WORKFLOW);
    expect(text).toContain('pull-requests: write');
    expect(text).toContain(`agent-spine@${VERSION} --registry ${registry.url}`);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'onboard');
    const bare = join(servers, 'acme', 'payments.git');
    git(work, 'clone', '-q', '--bare', work, bare);
    forge.add('acme/payments');

    const prefix = varTmp('spine-npm-prefix-'); // its bin is on PATH: not /tmp (sandbox-writes-path)
    const { NODE_OPTIONS: _n, npm_config_prefix: _p, ...rest } = process.env;
    const env = {
      ...rest,
      CI: 'true',
      npm_config_update_notifier: 'false',
      npm_config_prefix: prefix,
      PATH: `${join(prefix, 'bin')}:${TEST_PATH}`,
      XDG_CACHE_HOME: cache,
      GIT_CONFIG_GLOBAL: join(tempDir('spine-gitconfig-'), 'config'),
      GITHUB_SERVER_URL: `file://${servers}`,
      GITHUB_REPOSITORY: 'acme/payments',
      GITHUB_API_URL: forge.url,
    };
    const steps = workflowSteps(join(work, WORKFLOW), 'update-request');
    const run = () => runJob(steps, { workspace: work, env, context: { 'github.token': forge.token } });
    const first = await run();
    expect(first.failed, JSON.stringify(first.steps, null, 1)).toBe(false);
    const pulls = forge.repos.get('acme/payments')!.pulls;
    expect(pulls).toEqual([
      expect.objectContaining({
        head: 'acme:spine/update-v1.1.0',
        base: 'main',
        title: 'spine: update to v1.1.0',
        reviewers: ['alice'],
      }),
    ]);
    expect(JSON.parse(git(bare, 'show', 'spine/update-v1.1.0:.spine/lock.json')).spine.version).toBe('1.1.0');
    expect(JSON.parse(git(bare, 'show', 'main:.spine/lock.json')).spine.version).toBe('1.0.0');

    const second = await run();
    expect(second.failed).toBe(false);
    expect(pulls).toHaveLength(1);
  }, 240_000);
});
