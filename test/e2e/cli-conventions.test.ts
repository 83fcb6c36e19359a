import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { BIN, REPO_ROOT, runCli } from '../helpers/run-cli.js';

// What a user of any Node CLI expects: closed pipes, bad input, Ctrl-C, --json errors, help,
// completion and --quiet, each through the real CLI in a real git repo.

onboardOnce();

const ENV = { ...process.env, CI: '1', NO_COLOR: '1' };

describe('a closed pipe ends quietly', () => {
  it.each([
    ['doctor', ['doctor', '--offline']],
    ['report', ['report', '.', '--offline', '--no-doctor']],
    ['init --dry-run', ['init', '--dry-run', '--yes', '--team', 't', '--champion', 'c']],
  ])(
    'spine %s | (reader gone)',
    async (_name, args) => {
      const repo = onboarded();
      // `true` exits at once: every write after that gets EPIPE. Three runs: it used to be a race.
      for (let i = 0; i < 3; i++) {
        const run = await new Promise<string>((resolve) =>
          execFile(
            'bash',
            ['-c', `node "$0" "$@" 2>"${join(repo, '.err')}" | true; echo "\${PIPESTATUS[0]}"`, BIN, ...args],
            { cwd: repo, env: ENV },
            (_e, stdout) => resolve(stdout),
          ),
        );
        expect(run.trim()).toBe('0');
        expect(readFileSync(join(repo, '.err'), 'utf8')).not.toMatch(/EPIPE|Error|at /);
      }
    },
    120_000,
  );
});

describe('bad input is exit 2 with one line, and nothing changes', () => {
  const file = () => {
    const dir = tempDir('spine-cwd-file-');
    writeFileSync(join(dir, 'file.txt'), 'x');
    return join(dir, 'file.txt');
  };
  const cases: [string, (repo: string) => string[], RegExp][] = [
    ['report on a repo that is not onboarded', () => ['report', gitdir({ 'a.txt': 'a' })], /not onboarded/],
    ['report on a directory that is not a git repo', () => ['report', tempDir()], /not a git repository/],
    [
      'report --pioneer naming no team',
      () => ['report', '.', '--pioneer', 'nobody', '--no-doctor'],
      /names no team.*payments/,
    ],
    [
      'report --concurrency abc',
      () => ['report', '.', '--concurrency', 'abc'],
      /--concurrency must be a whole number/,
    ],
    ['report ""', () => ['report', ''], /empty/],
    ['validate ""', () => ['validate', ''], /empty/],
    [
      'init --ref on the embedded spine',
      () => ['init', '--yes', '--ref', 'v9.9.9'],
      /embedded spine has one version/,
    ],
    [
      'update --to on the embedded spine',
      () => ['update', '--to', 'v9.9.9'],
      /embedded spine has one version/,
    ],
    [
      'export --ref on the embedded spine',
      () => ['export', 'managed-settings', '--ref', 'v9.9.9'],
      /embedded spine/,
    ],
    ['init --team ""', () => ['init', '--yes', '--team', ''], /team name is empty/],
    [
      'a team name holding the block marker',
      () => ['init', '--yes', '--team', 'x <!-- spine:end -->'],
      /may hold only/,
    ],
    ['a team name with a line break', () => ['init', '--yes', '--team', 'a\nb'], /may hold only/],
    // It becomes a branch name in contribute: a `/` would add a level to the branch path.
    ['a team name with a slash', () => ['init', '--yes', '--team', 'acme/payments'], /may hold only/],
    [
      'a champion with an escape sequence',
      () => ['init', '--yes', '--team', 't', '--champion', '@a\u001b[2K\u001b[1Gok'],
      /the champion ".*" may hold only/,
    ],
    [
      'a champion with a line break',
      () => ['init', '--yes', '--team', 't', '--champion', '@a\nteam: other'],
      /the champion ".*" may hold only/,
    ],
    ['audit --cwd <file>', () => ['audit', '--cwd', file()], /not a directory/],
    [
      '--cwd that does not exist',
      () => ['doctor', '--cwd', '/nope/nowhere'],
      /\/nope\/nowhere: no such directory/,
    ],
    [
      'a relative --spine that is not there',
      () => ['init', '--yes', '--spine', 'missing-spine'],
      /missing-spine is not a directory/,
    ],
  ];
  it.each(cases)(
    '%s',
    async (_name, args, message) => {
      const repo = onboarded();
      const before = snapshot(repo);
      const result = await runCli(args(repo), { cwd: repo });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
      expect(snapshot(repo)).toEqual(before);
    },
    60_000,
  );

  it('a relative --spine is resolved against --cwd', async () => {
    const repo = gitdir({ 'README.md': '# x\n' });
    const shell = tempDir();
    const result = await runCli(['init', '--yes', '--team', 't', '--spine', 'spine', '--cwd', repo], {
      cwd: shell,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${repo}/spine is not a directory`);
  });
});

describe('--json errors, --since, --quiet', () => {
  it('an error under --json is a document on stdout as well as the line on stderr', async () => {
    const repo = onboarded();
    writeFileSync(join(repo, '.claude/settings.json'), '{\n  "permissions": ,\n}');
    const result = await runCli(['doctor', '--json', '--offline'], { cwd: repo });
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout);
    expect(error).toMatchObject({ code: 'bad-input', file: '.claude/settings.json', line: 2 });
    expect(typeof error.message).toBe('string');
    expect(typeof error.column).toBe('number');
    expect(result.stderr).toMatch(/^spine: \.claude\/settings\.json:2:\d+: /);

    const usage = await runCli(['doctor', '--json', '--nope'], { cwd: repo });
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ code: 'usage', file: null });
  });

  it('report --since takes a duration like audit --since', async () => {
    const repo = onboarded();
    const result = await runCli(['report', '.', '--since', '7d', '--no-doctor', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).repos).toHaveLength(1);
    const bad = await runCli(['report', '.', '--since', 'lastweek'], { cwd: repo });
    expect(bad.code).toBe(2);
  }, 60_000);

  it('--quiet prints nothing on success', async () => {
    const repo = gitdir({ 'README.md': '# x\n' });
    const result = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--quiet'], {
      cwd: repo,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const doctor = await runCli(['doctor', '--offline', '-q'], { cwd: repo });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toBe('');
  });
});

describe('Ctrl-C', () => {
  it('exits 130 without a stack trace', async () => {
    // A spine server that accepts the connection and never answers: init waits on git.
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const repo = gitdir({ 'README.md': '# x\n' });
    const child = spawn(
      process.execPath,
      [BIN, 'init', '--yes', '--team', 't', '--spine', `http://127.0.0.1:${port}/spine.git`],
      { cwd: repo, env: { ...ENV, XDG_CACHE_HOME: tempDir() }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    server.close();
    expect(code).toBe(130);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe('help and completion', () => {
  it('--version and -V print the package version alone, as they do beside other flags', async () => {
    const dir = tempDir();
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const args of [['--version'], ['-V'], ['--version', '--debug']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('every command has examples; the root help lists global flags and exit codes', async () => {
    const dir = tempDir();
    const root = await runCli(['--help'], { cwd: dir });
    expect(root.stdout).toMatch(/Global flags/);
    expect(root.stdout).toMatch(/--cwd <dir>/);
    expect(root.stdout).toMatch(/Exit codes:[\s\S]*\b2\b[\s\S]*130/);
    const commands = [
      ['init'],
      ['doctor'],
      ['facts'],
      ['report'],
      ['validate'],
      ['contribute'],
      ['update'],
      ['resolve'],
      ['remove'],
      ['audit'],
      ['skill', 'new'],
      ['export', 'managed-settings'],
      ['export', 'plugin'],
      ['completion'],
    ];
    for (const command of commands) {
      const help = await runCli([...command, '--help'], { cwd: dir });
      expect(help.code).toBe(0);
      expect(help.stdout, command.join(' ')).toMatch(/Examples:\n {2}\$ spine /);
    }
  }, 60_000);

  it('spine completion bash completes commands and flags in a real bash', async () => {
    const dir = tempDir();
    const script = await runCli(['completion', 'bash'], { cwd: dir });
    expect(script.code).toBe(0);
    writeFileSync(join(dir, 'spine.bash'), script.stdout);
    const complete = (...words: string[]) =>
      spawnSync(
        'bash',
        [
          '-c',
          `source spine.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _spine; echo "\${COMPREPLY[*]}"`,
        ],
        { cwd: dir, encoding: 'utf8' },
      ).stdout.trim();
    expect(complete('spine', 'doc')).toBe('doctor docs');
    expect(complete('spine', 'doct')).toBe('doctor');
    expect(complete('spine', 'doctor', '--st')).toBe('--strict');
    expect(complete('spine', 'skill', '').split(' ')).toContain('new');
    expect(complete('spine', 'init', '--team', 'x', '--ch')).toBe('--champion');
    // Known values: a flag's choices, an argument's choices, the repository's own skills.
    expect(complete('spine', 'init', '--ci', '')).toBe('github');
    expect(complete('spine', 'init', '--yes', '--ci', 'g')).toBe('github');
    expect(complete('spine', 'completion', '').split(' ')).toEqual(
      expect.arrayContaining(['bash', 'zsh', 'fish']),
    );
    mkdirSync(join(dir, '.claude', 'skills', 'deploy-app'), { recursive: true });
    writeFileSync(join(dir, '.claude', 'skills', 'deploy-app', 'SKILL.md'), '---\nname: deploy-app\n---\n');
    mkdirSync(join(dir, '.claude', 'skills', 'not-a-skill'), { recursive: true });
    expect(complete('spine', 'contribute', 'dep')).toBe('deploy-app');
    expect(complete('spine', 'contribute', '').split(' ')).not.toContain('not-a-skill');
    for (const shell of ['zsh', 'fish']) {
      const other = await runCli(['completion', shell], { cwd: dir });
      expect(other.code).toBe(0);
      expect(other.stdout).toMatch(/spine/);
    }
    const fish = (await runCli(['completion', 'fish'], { cwd: dir })).stdout;
    expect(fish).toContain('complete -c spine -n "__fish_seen_subcommand_from init" -l ci -x -a "github"');
    expect(fish).toContain(
      'complete -c spine -n "__fish_seen_subcommand_from contribute" -a "(__spine_skills)"',
    );
    const bad = await runCli(['completion', 'powershell'], { cwd: dir });
    expect(bad.code).toBe(2);
  });
});
