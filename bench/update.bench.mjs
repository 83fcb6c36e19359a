// update of a team repo with 50 managed files (a spine with 45 skills) from v1.0.0 to v1.1.0,
// where every skill changed upstream and ten of them were also edited by the team (real merges).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, GIT_ENV, ROOT, row, timeCommand } from './lib.mjs';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'pipe' });
const EXTRA_SKILLS = 41;

function skill(name) {
  const lines = Array.from({ length: 60 }, (_, i) => `- step ${i + 1} of ${name}: do the thing carefully.`);
  return `---\nname: ${name}\ndescription: ${name} is a generated skill for the update benchmark; use it never.\n---\n\n# ${name}\n\n${lines.join('\n')}\n`;
}

function makeSpine(dir) {
  cpSync(join(ROOT, 'spine'), dir, { recursive: true });
  for (let i = 0; i < EXTRA_SKILLS; i++) {
    const name = `bench-skill-${String(i).padStart(2, '0')}`;
    mkdirSync(join(dir, 'skills', name), { recursive: true });
    writeFileSync(join(dir, 'skills', name, 'SKILL.md'), skill(name));
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1.0.0');
  git(dir, 'tag', 'v1.0.0');
  const manifest = join(dir, 'spine.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('version: 1.0.0', 'version: 1.1.0'));
  for (let i = 0; i < EXTRA_SKILLS; i++) {
    const file = join(dir, 'skills', `bench-skill-${String(i).padStart(2, '0')}`, 'SKILL.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nUpstream addition.\n`);
  }
  git(dir, 'commit', '-q', '-am', 'v1.1.0');
  git(dir, 'tag', 'v1.1.0');
}

function makeTeam(dir, spine) {
  git(dir, 'init', '-q', '-b', 'main');
  execFileSync(
    process.execPath,
    [BIN, 'init', '--spine', spine, '--ref', 'v1.0.0', '--yes', '--team', 'bench', '--champion', 'x'],
    { cwd: dir, stdio: 'pipe' },
  );
  for (let i = 0; i < 10; i++) {
    const file = join(dir, '.claude/skills', `bench-skill-${String(i).padStart(2, '0')}`, 'SKILL.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('- step 1 of', '- team step 1 of'));
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'onboarded');
}

export default async function ({ base }) {
  const root = mkdtempSync(join(tmpdir(), 'spine-bench-update-'));
  try {
    const spine = join(root, 'spine');
    const team = join(root, 'team');
    mkdirSync(spine);
    mkdirSync(team);
    makeSpine(spine);
    makeTeam(team, spine);
    const managed = Object.keys(
      JSON.parse(readFileSync(join(team, '.spine/lock.json'), 'utf8')).files,
    ).length;

    const dry = timeCommand(process.execPath, [BIN, 'update', '--dry-run'], { runs: 7, cwd: team });
    // The real update, once per sample on a fresh reset of the repo.
    const samples = [];
    for (let i = 0; i < 5; i++) {
      git(team, 'checkout', '-q', '--', '.');
      git(team, 'clean', '-qfdx');
      const start = process.hrtime.bigint();
      const run = spawnSync(process.execPath, [BIN, 'update'], { cwd: team, stdio: 'pipe' });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (run.status !== 0) throw new Error(`update exited ${run.status}: ${run.stderr}`);
      git(team, 'checkout', '-q', '--', '.');
    }
    samples.sort((a, b) => a - b);
    const real = samples[Math.floor(samples.length / 2)];
    return [
      row(
        `update --dry-run (${managed} managed files)`,
        dry.median,
        base,
        'report',
        '10 files merged by git',
      ),
      row(`update (${managed} managed files)`, real, base, 'report', `wall ${real.toFixed(0)} ms`),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
