// init from a git spine (file:// URL): cold cache (clone), warm cache (fetch), --offline; and validate.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, row, timeCommand } from './lib.mjs';

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};

export default async function ({ base }) {
  const work = mkdtempSync(join(tmpdir(), 'spine-bench-sources-'));
  const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV });
  const origin = join(work, 'origin');
  cpSync(join(ROOT, 'spine'), origin, { recursive: true });
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'v1');
  git(origin, 'tag', 'v1.0.0');
  const url = pathToFileURL(origin).href;
  let n = 0;
  const init = (extra, cache) => {
    const repo = join(work, `team-${n++}`);
    git(work, 'init', '-q', repo);
    const env = { ...process.env, XDG_CACHE_HOME: join(work, cache) };
    const args = [
      BIN,
      'init',
      '--yes',
      '--dry-run',
      '--team',
      'b',
      '--champion',
      'x',
      '--spine',
      url,
      ...extra,
    ];
    // Timed once, no warm-up: a warm-up would fill the cache the cold case must not have.
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: repo, env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`init exited ${result.status}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const median = (f) => {
    const s = Array.from({ length: 7 }, f).sort((a, b) => a - b);
    return s[3];
  };
  let cold = 0;
  const coldMs = median(() => init([], `cold-${cold++}`));
  init([], 'warm');
  const warmMs = median(() => init([], 'warm'));
  const offlineMs = median(() => init(['--offline'], 'warm'));
  const validate = timeCommand(process.execPath, [BIN, 'validate', 'spine'], { cwd: ROOT, runs: 7 }).median;
  rmSync(work, { recursive: true, force: true });
  return [
    row('init --dry-run, git spine, fresh cache', coldMs, base, '', 'clone'),
    row('init --dry-run, git spine, cached (fetch)', warmMs, base, ''),
    row('init --dry-run, git spine, --offline', offlineMs, base, ''),
    row('validate (embedded spine)', validate, base, ''),
  ];
}
