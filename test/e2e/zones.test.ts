import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { auditLines, HOOK, SECRET_VALUE } from '../hooks/run-hook.js';

const ZONES = '.claude/hooks/spine-zones.json';

const TEAMS = `team: platform
champion: "@root"
teams:
  zones:
    - team: payments
      champion: "@alice"
      paths: ["/services/pay/", "/packages/api/"]
    - team: web
      champion: "@bob"
      paths: ["/packages/web/"]
`;

/** A monorepo two teams share (npm workspaces), onboarded with the embedded spine and committed. */
async function sharedRepo(local = TEAMS, extra: Record<string, string> = {}): Promise<string> {
  const repo = gitdir({
    'package.json': '{"name":"mono","private":true,"workspaces":["packages/*","services/*"]}\n',
    'packages/api/package.json': '{"name":"api"}\n',
    'packages/web/package.json': '{"name":"web"}\n',
    'services/pay/package.json': '{"name":"pay"}\n',
    '.spine/local.yaml': local,
    '.gitignore': '.env\n',
    ...extra,
  });
  const init = await runCli(['init', '--yes'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'spine init');
  writeTree(repo, { 'packages/api/.env': `KEY=${SECRET_VALUE}\n` });
  return repo;
}

/** The hook as Claude Code runs it for a session started in `launchDir` (the root's script). */
function hook(repo: string, launchDir: string, payload: Record<string, unknown>) {
  const dir = launchDir ? join(repo, launchDir) : repo;
  const result = spawnSync(process.execPath, [join(repo, HOOK)], {
    cwd: dir,
    input: JSON.stringify({ session_id: 's', cwd: dir, ...payload }),
    env: { ...process.env, CLAUDE_PROJECT_DIR: dir },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout };
}

const pre = (tool: string, input: Record<string, unknown>, session = 's') => ({
  hook_event_name: 'PreToolUse',
  session_id: session,
  tool_name: tool,
  tool_input: input,
});

const doctorJson = async (repo: string, ...args: string[]) => {
  const result = await runCli(['doctor', '--json', '--offline', ...args], { cwd: repo });
  return { code: result.code, report: JSON.parse(result.stdout) };
};
const zoneFindings = (report: { findings: { code: string }[] }) =>
  report.findings.filter((f) => f.code === 'zone-map-stale' || f.code.startsWith('launch-dir'));

describe('teams that share a repo: team zones', () => {
  it('init writes the zone map; each record carries the zone of its launch dir, else of the file it touches', async () => {
    const repo = await sharedRepo();
    expect(JSON.parse(read(repo, ZONES)).rules).toEqual([
      { team: 'payments', glob: '/services/pay/**' },
      { team: 'payments', glob: '/packages/api/**' },
      { team: 'web', glob: '/packages/web/**' },
    ]);
    expect(JSON.parse(read(repo, '.spine/lock.json')).files[ZONES]).toMatchObject({ kind: 'zones' });

    const denied = hook(repo, 'packages/api', pre('Bash', { command: 'cat .env' }, 'api'));
    expect(denied.stdout).toContain('"permissionDecision":"deny"');
    hook(repo, '', pre('Read', { file_path: join(repo, 'packages/web/src/a.ts') }, 'root-web'));
    hook(repo, '', pre('Bash', { command: 'ls' }, 'root'));
    hook(repo, 'packages/web', pre('Read', { file_path: join(repo, 'packages/api/x.ts') }, 'web'));
    const bySession = Object.fromEntries(auditLines(repo).map((r) => [r.session_id, r]));
    expect(bySession.api).toMatchObject({ decision: 'deny', launch_dir: 'packages/api', zone: 'payments' });
    expect(bySession['root-web']).toMatchObject({ zone: 'web' });
    expect(bySession.root.zone).toBeUndefined();
    // The launch directory decides before the path: a web session reading api code is web's.
    expect(bySession.web).toMatchObject({ launch_dir: 'packages/web', zone: 'web' });

    const clean = await doctorJson(repo);
    expect(clean.code).toBe(0);
    expect(zoneFindings(clean.report)).toEqual([]);
    expect(clean.report.launchDirs.map((d: any) => [d.path, d.zone])).toEqual([
      ['packages/api', 'payments'],
      ['packages/web', 'web'],
      ['services/pay', 'payments'],
    ]);
  });

  it('an edited zone map or local.yaml changes no decision; doctor reports the drift and --fix restores it', async () => {
    const repo = await sharedRepo();
    const calls = [
      pre('Bash', { command: 'cat .env' }),
      pre('Read', { file_path: join(repo, 'packages/api/.env') }),
      pre('Bash', { command: 'git status' }),
    ];
    const decide = () => calls.map((c) => hook(repo, 'packages/api', c));
    const before = decide();
    expect(before[0]!.stdout).toContain('deny');

    const tamper: (() => void)[] = [
      () => writeFileSync(join(repo, ZONES), JSON.stringify({ rules: [{ team: 'web', glob: '**' }] })),
      () => writeFileSync(join(repo, ZONES), '{ not json'),
      () => writeFileSync(join(repo, ZONES), JSON.stringify({ rules: [{ team: 'x', glob: '[z-a]' }] })),
      () => {
        rmSync(join(repo, ZONES));
        symlinkSync('/dev/zero', join(repo, ZONES));
      },
      () => {
        rmSync(join(repo, ZONES), { force: true });
        writeFileSync(join(repo, '.spine/local.yaml'), 'teams: { zones: [{ team: web, paths: ["**"] }] }\n');
      },
    ];
    for (const edit of tamper) {
      edit();
      expect(decide()).toEqual(before);
    }

    git(repo, 'checkout', '--', '.spine/local.yaml');
    writeFileSync(join(repo, ZONES), JSON.stringify({ rules: [{ team: 'web', glob: '**' }] }));
    hook(repo, 'packages/api', pre('Bash', { command: 'ls' }, 'mislabelled'));
    expect(auditLines(repo).find((r) => r.session_id === 'mislabelled')?.zone).toBe('web');
    const drift = await doctorJson(repo);
    expect(drift.code).toBe(0);
    expect(zoneFindings(drift.report)).toMatchObject([
      { code: 'zone-map-stale', severity: 'warning', path: ZONES },
    ]);
    expect((await runCli(['doctor', '--fix', '--offline', '--force'], { cwd: repo })).code).toBe(0);
    expect(JSON.parse(read(repo, ZONES)).rules).toHaveLength(3);
    expect(zoneFindings((await doctorJson(repo)).report)).toEqual([]);
  });

  it('doctor sees a zone map behind local.yaml; --fix writes it and records it in the lock', async () => {
    const repo = await sharedRepo();
    writeFileSync(
      join(repo, '.spine/local.yaml'),
      TEAMS.replace('["/packages/web/"]', '["/packages/web/", "/docs/"]'),
    );
    git(repo, 'commit', '-qam', 'web owns docs');
    const stale = await doctorJson(repo);
    expect(zoneFindings(stale.report).map((f: any) => f.code)).toEqual(['zone-map-stale']);
    const fixed = await runCli(['doctor', '--fix', '--offline'], { cwd: repo });
    expect(fixed.code).toBe(0);
    expect(JSON.parse(read(repo, ZONES)).rules.at(-1)).toEqual({ team: 'web', glob: '/docs/**' });
    expect(zoneFindings((await doctorJson(repo)).report)).toEqual([]);
    mkdirSync(join(repo, 'docs'));
    hook(repo, '', pre('Edit', { file_path: join(repo, 'docs/a.md') }, 'docs'));
    expect(auditLines(repo).find((r) => r.session_id === 'docs')?.zone).toBe('web');
  });

  it('reads CODEOWNERS when the team opts in; local.yaml paths win over it', async () => {
    const repo = await sharedRepo(
      `team: platform
teams:
  from: codeowners
  zones:
    - team: payments
      owners: ["@acme/pay-team"]
    - team: web
      paths: ["/packages/web/legacy/"]
`,
      {
        '.github/CODEOWNERS':
          '# owners\n*.md @acme/docs\n/services/pay/ @acme/pay-team @someone\n/packages/ @acme/web\n',
      },
    );
    expect(JSON.parse(read(repo, ZONES)).rules).toEqual([
      { team: 'payments', glob: '/services/pay/**' },
      { team: 'web', glob: '/packages/**' },
      { team: 'web', glob: '/packages/web/legacy/**' },
    ]);
    hook(repo, 'services/pay', pre('Bash', { command: 'ls' }, 'pay'));
    hook(repo, 'packages/api', pre('Bash', { command: 'ls' }, 'api'));
    const zones = Object.fromEntries(auditLines(repo).map((r) => [r.session_id, r.zone]));
    expect(zones).toEqual({ pay: 'payments', api: 'web' });
  });

  it('a waiver scoped to a zone counts only in that zone’s launch directories', async () => {
    const repo = await sharedRepo();
    const file = join(repo, 'packages/web/.claude/settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    settings.permissions.ask = settings.permissions.ask.filter((r: string) => !r.startsWith('Bash(git push'));
    writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const waived = (zone: string) =>
      `${TEAMS}waivers:\n  - rule: gate-git-push\n    reason: web deploys by push\n    approvedBy: '@lead'\n    expires: '${expires}'\n    zone: ${zone}\n`;

    writeFileSync(join(repo, '.spine/local.yaml'), waived('payments'));
    const elsewhere = await doctorJson(repo);
    expect(zoneFindings(elsewhere.report).map((f: any) => [f.code, f.path])).toEqual([
      ['launch-dir-unguarded', 'packages/web/.claude/settings.json'],
    ]);

    writeFileSync(join(repo, '.spine/local.yaml'), waived('web'));
    expect(zoneFindings((await doctorJson(repo)).report)).toEqual([]);
    // The same waiver does not reach the root: its ask rule is still required there.
    const root = JSON.parse(read(repo, '.claude/settings.json'));
    root.permissions.ask = root.permissions.ask.filter((r: string) => !r.startsWith('Bash(git push'));
    writeFileSync(join(repo, '.claude/settings.json'), `${JSON.stringify(root, null, 2)}\n`);
    expect((await doctorJson(repo)).report.findings.map((f: any) => f.code)).toContain('default-weakened');
  });

  it('facts and the report count per team zone: near-misses, skill uses and reuse across the teams of one repo', async () => {
    const repo = await sharedRepo();
    const prompt = (session: string, text: string) => ({
      hook_event_name: 'UserPromptSubmit',
      session_id: session,
      prompt: text,
    });
    hook(repo, 'packages/api', prompt('a1', 'hi'));
    hook(repo, 'packages/api', pre('Bash', { command: 'cat .env' }, 'a1'));
    hook(repo, 'packages/api', pre('Read', { file_path: join(repo, 'packages/api/.env') }, 'a2'));
    hook(repo, 'packages/web', prompt('w1', '/handle-secrets'));
    hook(repo, 'packages/web', pre('Bash', { command: 'ls' }, 'w1'));
    hook(repo, '', pre('Bash', { command: 'ls' }, 'r1'));
    const commits = (z: any) => z.weeks.reduce((n: number, w: any) => n + w.commits, 0);
    const before = JSON.parse((await runCli(['facts', '--json', '--offline'], { cwd: repo })).stdout).zones;
    writeTree(repo, { 'packages/web/index.js': 'export {};\n' });
    git(repo, 'add', 'packages/web/index.js');
    git(repo, 'commit', '-q', '-m', 'web only');

    const facts = await runCli(['facts', '--json', '--offline'], { cwd: repo });
    expect(facts.code, facts.stderr).toBe(0);
    const zones = JSON.parse(facts.stdout).zones;
    expect(zones.map((z: any) => [z.team, z.champion])).toEqual([
      ['payments', '@alice'],
      ['web', '@bob'],
      ['platform', '@root'],
    ]);
    const total = (z: any, key: string) =>
      z.days.reduce(
        (n: number, d: any) => n + Object.values(d[key] as object).reduce((a: number, b: any) => a + b, 0),
        0,
      );
    expect(zones.map((z: any) => total(z, 'nearMisses'))).toEqual([2, 0, 0]);
    expect(zones.map((z: any) => total(z, 'skillUses'))).toEqual([0, 1, 0]);
    // Each zone's commits are its own history: a commit in web's files counts for web alone.
    expect(zones.map(commits)).toEqual(before.map((z: any, i: number) => commits(z) + (i === 1 ? 1 : 0)));
    expect(commits(zones[0])).toBeGreaterThan(0);

    const run = await runCli(['report', repo, '--json'], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.repos[0].zones.map((z: any) => [z.team, z.sessions, z.nearMisses, z.skillUses])).toEqual([
      ['payments', 2, 2, 0],
      ['web', 1, 0, 1],
      ['platform', 1, 0, 0],
    ]);
    expect(report.repos[0]).toMatchObject({ team: 'platform', sessions: 4, nearMisses: 2 });
    expect(report.nearMisses.teams.map((t: any) => t.team)).toEqual(['payments', 'platform', 'web']);
    const skill = report.skills.find((s: any) => s.name === 'handle-secrets');
    expect(skill.installedIn).toEqual(['payments', 'platform', 'web']);
    expect(skill.usesByTeam).toBeDefined();

    const human = await runCli(['report', repo], { cwd: repo });
    expect(human.stdout).toMatch(
      /team zones of .*:\n\s+payments \(@alice\): 2 session-day\(s\), \d+ tool calls, 2 near-miss\(es\)/,
    );
  });

  const bad: [string, string, Record<string, string>, RegExp][] = [
    [
      'a zone pattern that does not parse',
      'teams:\n  zones:\n    - team: a\n      paths: ["/apps/[ab]/"]\n',
      {},
      /^spine: \.spine\/local\.yaml:5:\d+: .*character range/m,
    ],
    [
      'a team listed twice',
      'teams:\n  zones:\n    - team: a\n    - team: b\n    - team: A\n',
      {},
      /^spine: \.spine\/local\.yaml:6:\d+: team "A" is listed twice \(first on line 4\)/m,
    ],
    [
      'an unknown team in a waiver',
      'waivers:\n  - rule: gate-git-push\n    reason: r\n    zone: nope\nteams:\n  zones:\n    - team: a\n',
      {},
      /^spine: \.spine\/local\.yaml:5:\d+: waiver of "gate-git-push" names zone "nope"/m,
    ],
    [
      'a CODEOWNERS line that cannot be read',
      'teams:\n  from: codeowners\n  zones:\n    - team: a\n',
      { CODEOWNERS: '/apps/ @org/a\n!/apps/x @org/a\n' },
      /^spine: CODEOWNERS:2:1: CODEOWNERS line cannot be read: .*negates/m,
    ],
    [
      'CODEOWNERS asked for but absent',
      'teams:\n  from: codeowners\n  zones:\n    - team: a\n',
      {},
      /^spine: \.spine\/local\.yaml:3: teams\.from is codeowners, but there is no/m,
    ],
  ];
  for (const [what, local, extra, message] of bad) {
    it(`refuses ${what}: file:line, exit 2, nothing written (init, doctor)`, async () => {
      const repo = gitdir({
        'package.json': '{"name":"m"}\n',
        '.spine/local.yaml': `team: t\n${local}`,
        ...extra,
      });
      const before = snapshot(repo);
      const init = await runCli(['init', '--yes'], { cwd: repo });
      expect(init.code).toBe(2);
      expect(init.stderr).toMatch(message);
      expect(snapshot(repo)).toEqual(before);

      const onboarded = await sharedRepo();
      writeTree(onboarded, { '.spine/local.yaml': `team: t\n${local}`, ...extra });
      const kept = snapshot(onboarded);
      for (const args of [
        ['doctor', '--offline'],
        ['doctor', '--offline', '--fix'],
        ['update', '--offline'],
      ]) {
        const run = await runCli(args, { cwd: onboarded });
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr).toMatch(message);
      }
      expect(snapshot(onboarded)).toEqual(kept);
    });
  }
});
