import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, read, varTmp } from '../helpers/gitdir.js';
import { type LocalRegistry, startRegistry } from '../helpers/npm-registry.js';
import { REPO_ROOT, runCli, TEST_PATH } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';
import { actionInputs, type JobResult, runJob, workflowSteps } from '../helpers/workflow-steps.js';

// The generated workflow and the Action, run step by step for real: npm installs the packed CLI
// from a loopback registry (the spine's `tool.registry` setting), then doctor and facts run on
// a clean, a drifted and a broken repo.

const WORKFLOW = '.github/workflows/spine.yml';
const VERSION = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;
let registry: LocalRegistry;
let spine: string;
let base: Record<string, string | undefined>;

/** Each job its own npm prefix (the global install) and spine cache: the jobs run side by side. */
function jobEnv(): { env: Record<string, string | undefined>; prefix: string } {
  const prefix = varTmp('spine-npm-prefix-'); // its bin is on PATH: not /tmp (sandbox-writes-path)
  const env = {
    ...base,
    PATH: `${join(prefix, 'bin')}:${TEST_PATH}`,
    npm_config_prefix: prefix,
    // Not under /tmp: the sandbox can write there, which doctor reports (store-writable).
    XDG_CACHE_HOME: varTmp('spine-xdg-'),
  };
  return { env, prefix };
}

beforeAll(async () => {
  registry = await startRegistry();
  spine = spineCopy((dir) =>
    editFile(dir, 'spine.yaml', (t) => `${t}tool:\n  package: agent-spine\n  registry: ${registry.url}\n`),
  );
  const { NODE_OPTIONS: _n, npm_config_prefix: _p, ...rest } = process.env;
  base = { ...rest, npm_config_update_notifier: 'false', CI: 'true' };
}, 120_000);
afterAll(() => registry?.close());

async function onboarded(): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n' });
  const init = await runCli(
    ['init', '--yes', '--team', 't', '--champion', 'c', '--ci', 'github', '--spine', spine],
    { cwd: repo },
  );
  expect(init.code, init.stderr).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'onboard');
  return repo;
}

function step(job: JobResult, name: string) {
  const found = job.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

describe('npm pack', () => {
  it('ships what runs and the licence: no source maps, no sources, no tests', () => {
    const files = execFileSync('tar', ['tzf', registry.tarball], { encoding: 'utf8' }).split('\n');
    expect(files).toContain('package/LICENSE');
    expect(files).toContain('package/bin/spine.js');
    expect(files).toContain('package/dist/main.js');
    expect(files).toContain('package/dist/hooks/spine-hook.cjs');
    expect(files).toContain('package/dist/hooks/spine-hook-guard.cjs');
    expect(files).toContain('package/dist/hooks/spine-hook-session.cjs');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^package\/(src|test|bench)\//.test(f))).toEqual([]);
    expect(registry.tarball).toMatch(/agent-spine-[\d.]+\.tgz$/);
    expect(read(REPO_ROOT, 'LICENSE')).toMatch(/^MIT License/);
    expect(JSON.parse(read(REPO_ROOT, 'package.json')).license).toBe('MIT');
  });
});

describe('the generated workflow and the Action, run for real', () => {
  it('installs the locked tool version from the spine-level registry and passes on a clean repo', async () => {
    const repo = await onboarded();
    const text = read(repo, WORKFLOW);
    expect(text).toContain(`agent-spine@${VERSION} --registry ${registry.url}`);
    expect(JSON.parse(read(repo, '.spine/lock.json')).tool).toBe(VERSION);
    expect(text).not.toMatch(/\|\|\s*true/);

    const { env, prefix } = jobEnv();
    const job = await runJob(workflowSteps(join(repo, WORKFLOW)), { workspace: repo, env });
    expect(step(job, 'install spine').code, step(job, 'install spine').stderr).toBe(0);
    expect(job.failed, JSON.stringify(job.steps, null, 1)).toBe(false);
    expect(step(job, 'upload drift to code scanning').ran).toBe(true);
    expect(JSON.parse(read(repo, 'spine.sarif')).version).toBe('2.1.0');
    expect(JSON.parse(read(repo, 'spine-facts.json')).team).toBe('t');
    // The install holds the runtime of the precompiled validators only: everything else is bundled
    // into dist/; no client binary, no compiler.
    const deps = readdirSync(join(prefix, 'lib', 'node_modules', 'agent-spine', 'node_modules'));
    expect(deps).toContain('ajv');
    expect(deps).not.toContain('commander');
    expect(deps).not.toContain('typescript');
    expect(deps).not.toContain('@anthropic-ai');
  }, 180_000);

  it('fails the job on drift (exit 1) and still uploads the SARIF and the facts', async () => {
    const repo = await onboarded();
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    settings.permissions.deny = [];
    writeFileSync(join(repo, '.claude/settings.json'), JSON.stringify(settings, null, 2));
    const job = await runJob(workflowSteps(join(repo, WORKFLOW)), { workspace: repo, ...jobEnv() });
    expect(job.failed).toBe(true);
    expect(step(job, 'spine doctor').code).toBe(1);
    expect(step(job, 'upload drift to code scanning').ran).toBe(true);
    expect(JSON.parse(read(repo, 'spine.sarif')).runs[0].results.length).toBeGreaterThan(0);
    expect(step(job, 'spine facts').ran).toBe(true);
    expect(step(job, 'upload facts').ran).toBe(true);
  }, 180_000);

  it('fails the job on bad input (exit 2)', async () => {
    const repo = await onboarded();
    appendFileSync(join(repo, '.claude/settings.json'), '{ not json');
    const job = await runJob(workflowSteps(join(repo, WORKFLOW)), { workspace: repo, ...jobEnv() });
    expect(job.failed).toBe(true);
    expect(step(job, 'spine doctor').code).toBe(2);
    expect(step(job, 'spine doctor').stderr).toMatch(/\.claude\/settings\.json:\d+:\d+: /);
    expect(step(job, 'upload drift to code scanning').ran).toBe(existsSync(join(repo, 'spine.sarif')));
  }, 180_000);
  it('the Action installs the packed CLI with production dependencies only and fails on drift', async () => {
    const action = join(REPO_ROOT, 'action.yml');
    const text = read(REPO_ROOT, 'action.yml');
    expect(text).not.toMatch(/npm ci|npm run build|npm install(?!.*--global)/);
    const repo = await onboarded();
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    settings.permissions.deny = [];
    writeFileSync(join(repo, '.claude/settings.json'), JSON.stringify(settings, null, 2));
    const { env, prefix } = jobEnv();
    const drift = await runJob(workflowSteps(action), {
      workspace: repo,
      env,
      actionPath: REPO_ROOT,
      inputs: actionInputs(action, { registry: registry.url }),
    });
    expect(step(drift, 'Install spine').code, step(drift, 'Install spine').stderr).toBe(0);
    expect(readdirSync(join(prefix, 'lib', 'node_modules', 'agent-spine', 'node_modules'))).not.toContain(
      'typescript',
    );
    expect(step(drift, 'Run spine doctor').code).toBe(0);
    expect(JSON.parse(read(repo, 'spine-doctor.sarif')).runs[0].results.length).toBeGreaterThan(0);
    expect(step(drift, 'Upload SARIF to code scanning').ran).toBe(true);
    expect(step(drift, 'Fail on findings').code).toBe(1);
    expect(drift.failed).toBe(true);
  }, 180_000);
});
