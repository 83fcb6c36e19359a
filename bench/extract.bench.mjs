// spine extract from a generated pioneer with 50 skills and 200 rules (goal: under 2 s wall).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, row, timeCommand } from './lib.mjs';

const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

function pioneer(root) {
  const dir = join(root, 'pioneer');
  const rules = { deny: [], ask: [], allow: [] };
  for (let i = 0; i < 200; i++) {
    const list = i < 100 ? 'deny' : i < 150 ? 'ask' : 'allow';
    rules[list].push(`Bash(tool${i} ${list === 'allow' ? 'run' : 'destroy'}:*)`);
  }
  const write = (path, text) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('.claude/settings.json', `${JSON.stringify({ permissions: rules }, null, 2)}\n`);
  for (let i = 0; i < 50; i++) {
    const name = `skill-${String(i).padStart(2, '0')}-${['deploy', 'review', 'migrate', 'triage', 'release'][i % 5]}`;
    write(
      `.claude/skills/${name}/SKILL.md`,
      `---\nname: ${name}\ndescription: Does task ${i} for the team, step by step, with checks.\n---\n\n# ${name}\n\nRun [the script](scripts/run.sh).\n`,
    );
    write(`.claude/skills/${name}/scripts/run.sh`, `#!/bin/sh\necho ${i}\n`);
    chmodSync(join(dir, `.claude/skills/${name}/scripts/run.sh`), 0o755);
  }
  const terms = Array.from(
    { length: 30 },
    (_, i) => `- Term${i}: the thing number ${i} that the team talks about.`,
  );
  write('CLAUDE.md', `# Team\n\n## Glossary\n\n${terms.join('\n')}\n`);
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: ENV });
  execFileSync('git', ['-C', dir, 'add', '-A'], { env: ENV });
  execFileSync('git', ['-C', dir, 'commit', '-qm', 'pioneer'], { env: ENV });
  return dir;
}

function spine(root, name) {
  execFileSync(process.execPath, [BIN, 'new', name, '--yes'], { cwd: root, env: ENV, stdio: 'ignore' });
  return join(root, name);
}

/** One timed run: a write run cannot be repeated on the same spine (the second finds it all merged). */
function timeOnce(args, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`extract exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export default async function ({ base }) {
  const root = mkdtempSync(join(tmpdir(), 'spine-bench-extract-'));
  try {
    const from = pioneer(root);
    const dry = timeCommand(
      process.execPath,
      [BIN, 'extract', from, '--into', spine(root, 'dry'), '--dry-run', '--json'],
      {
        runs: 5,
        cwd: root,
        env: ENV,
      },
    ).median;
    const samples = [];
    for (let i = 0; i < 3; i++) {
      const into = spine(root, `full-${i}`);
      samples.push(timeOnce([BIN, 'extract', from, '--into', into, '--json'], root));
    }
    samples.sort((a, b) => a - b);
    const full = samples[1];
    return [
      row('extract (50 skills, 200 rules), dry run', dry, base, '< 2000 ms', `wall ${dry.toFixed(0)} ms`),
      row(
        'extract (50 skills, 200 rules), branch + commit',
        full,
        base,
        '< 2000 ms',
        `wall ${full.toFixed(0)} ms`,
      ),
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
