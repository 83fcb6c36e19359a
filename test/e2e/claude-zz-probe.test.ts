import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { claudeHome, runClaude } from '../helpers/claude.js';
import { gitdir, read, writeTree } from '../helpers/gitdir.js';
import { startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

const bash = (command: string, id: string): ToolUse => ({ name: 'Bash', input: { command, description: 'run' }, id });
const CMDS = [
  'git status --porcelain --ignored; find . -type c -not -path "./.git/*" | sort',
  'mkdir -p .spine/txn && echo "{}" > .spine/txn/journal.json && echo WROTE-JOURNAL',
  'd=$(date -u +%F); ln -s ../../.claude/hooks/spine-policy.json .spine/audit/link.jsonl && echo LINKED',
  'mv .spine/lock.json .spine/lock.moved && echo MOVED',
  'echo x >> .claude/hooks/spine-policy.json && echo WROTE-POLICY',
  'echo x > .claude/hooks/spine-new && echo WROTE-NEWHOOK',
  'echo "{}" > .claude/settings.local.json && echo WROTE-LOCAL',
  'echo " " >> .claude/settings.json && echo WROTE-SETTINGS',
  'echo hi > .spine/local.yaml && echo WROTE-LOCALYAML',
  'ls -la .spine .spine/audit .claude',
];

async function probe(name: string, denyWrite: string[] | undefined, extraDeny: string[] = []) {
  const repo = gitdir({ 'README.md': '# app\n' });
  const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
  if (init.code !== 0) throw new Error(init.stderr);
  const s = JSON.parse(read(repo, '.claude/settings.json'));
  if (denyWrite) s.sandbox.filesystem.denyWrite = denyWrite;
  s.permissions.deny.push(...extraDeny);
  writeTree(repo, { '.claude/settings.json': JSON.stringify(s, null, 2) });
  const tools = CMDS.map((c, i) => bash(c, `toolu_${i}`));
  const server = await startModelServer({ main: [...tools.map((t) => ({ tools: [t] })), { text: 'done' }] });
  const run = await runClaude({ prompt: 'go', cwd: repo, baseUrl: server.baseUrl, home: claudeHome(), args: ['--allowedTools', 'Bash'], timeoutMs: 200_000 });
  const res = server.toolResults('main');
  let out = `==== ${name} code=${run.code}\n`;
  for (const r of res) out += `--- ${r.toolUseId} ${r.isError}\n${r.text}\n`;
  const audit = join(repo, '.spine/audit');
  out += `audit: ${existsSync(audit) ? readdirSync(audit).map((f) => f + ':' + (f.endsWith('.jsonl') ? readFileSync(join(audit, f), 'utf8').split('\n').length : '')).join(' ') : 'none'}\n`;
  console.log(out);
  await server.close();
}

it('probe', async () => {
  await Promise.all([
    probe('none', undefined),
    probe('dot-spine', ['./.spine']),
    probe('dot-spine-glob', ['./.spine/**']),
    probe('bare', ['.spine']),
  ]);
}, 600_000);
