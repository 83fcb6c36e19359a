// spine rollout preview over a fleet of 500 repositories (local bare clones, as a platform team's
// list of file:// or https URLs would give): a spine with v1.0.0 and v1.1.0, every team onboarded
// at v1.0.0, one in ten with a team edit that conflicts. Reports the wall time, the time per
// repository, peak memory, and the floor: `git clone` of the same repositories at the same
// concurrency, measured in the same run (a preview has to fetch each repository at least once).
//
//   ROLLOUT_REPOS=100 npm run bench -- rollout     a smaller fleet
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, GIT_ENV, ROOT, row } from './lib.mjs';

const REPOS = Number(process.env.ROLLOUT_REPOS ?? 500);
const CONCURRENCY = 4; // rollout's default
const SKILL = '.claude/skills/review-change/SKILL.md';
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'pipe' });
const run = promisify(execFile);

function makeSpine(dir) {
  cpSync(join(ROOT, 'spine'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1.0.0');
  git(dir, 'tag', 'v1.0.0');
  const edit = (file, change) =>
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
  edit('spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
  edit('skills/review-change/SKILL.md', (t) => `${t}\nUpstream closing line.\n`);
  git(dir, 'commit', '-q', '-am', 'v1.1.0');
  git(dir, 'tag', 'v1.1.0');
}

/** Two onboarded work trees (plain, conflicting) whose bare clones make up the fleet. */
function makeTeams(root, spine) {
  const teams = {};
  for (const kind of ['plain', 'conflicting']) {
    const dir = join(root, `team-${kind}`);
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    execFileSync(
      process.execPath,
      [BIN, 'init', '--spine', spine, '--ref', 'v1.0.0', '--yes', '--team', kind, '--champion', '@c'],
      { cwd: dir, stdio: 'pipe', env: GIT_ENV },
    );
    if (kind === 'conflicting') {
      writeFileSync(join(dir, SKILL), `${readFileSync(join(dir, SKILL), 'utf8')}\nTeam closing line.\n`);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'onboarded');
    teams[kind] = dir;
  }
  return teams;
}

async function inParallel(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export default async function () {
  const root = mkdtempSync(join(tmpdir(), 'spine-bench-rollout-'));
  try {
    const spine = join(root, 'spine');
    mkdirSync(spine);
    makeSpine(spine);
    const teams = makeTeams(root, spine);
    const remotes = join(root, 'remotes');
    mkdirSync(remotes);
    const urls = [];
    for (let i = 0; i < REPOS; i++) {
      const bare = join(remotes, `team-${String(i).padStart(3, '0')}.git`);
      git(root, 'clone', '-q', '--bare', i % 10 === 9 ? teams.conflicting : teams.plain, bare);
      urls.push(`file://${bare}`);
    }
    writeFileSync(join(root, 'repos.txt'), `${urls.join('\n')}\n`);
    const env = { ...GIT_ENV, XDG_CACHE_HOME: join(root, 'cache') };

    // The floor: fetching every repository once, at the same concurrency.
    const clones = join(root, 'clones');
    mkdirSync(clones);
    let start = process.hrtime.bigint();
    await inParallel(urls, CONCURRENCY, (url) =>
      run('git', ['clone', '-q', url, join(clones, url.split('/').pop())], { env: GIT_ENV }),
    );
    const floor = Number(process.hrtime.bigint() - start) / 1e6;

    const args = [BIN, 'rollout', '--from-file', 'repos.txt', '--json', '--concurrency', String(CONCURRENCY)];
    // One run, timed here and measured by /usr/bin/time (peak resident memory) at once: a 500
    // repository preview is too long to run twice.
    const out = join(root, 'preview.json');
    start = process.hrtime.bigint();
    const timed = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', '-o', join(root, 'peak'), process.execPath, ...args],
      {
        cwd: root,
        env,
        stdio: ['ignore', openSync(out, 'w'), 'pipe'],
      },
    );
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (timed.error) throw timed.error;
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const counts = report.counts ?? {};
    if (report.rows.length !== REPOS) throw new Error(`rollout listed ${report.rows.length} of ${REPOS}`);
    const peak = Number(readFileSync(join(root, 'peak'), 'utf8').trim().split('\n').pop()) / 1024;
    return [
      row(
        `rollout preview, ${REPOS} repositories`,
        wall,
        floor,
        'report',
        `${(wall / REPOS).toFixed(0)} ms/repo; ratio to git clone of all (${(floor / 1000).toFixed(1)} s); ` +
          `peak ${peak?.toFixed(0) ?? '?'} MiB; ${JSON.stringify(counts)}`,
      ),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
