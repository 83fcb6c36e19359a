import { beforeAll, describe, expect, it } from 'vitest';
import type { DocChecks } from '../../src/core/extract/docs.js';
import type { ExtractItem, Pioneer } from '../../src/core/extract/model.js';
import { classify, renderExtraction, TODO_WHY } from '../../src/core/extract/plan.js';
import { contributedBy, isMarkedCopy, markContributed } from '../../src/core/extract/provenance.js';
import { ruleId } from '../../src/core/extract/rule-ids.js';
import type { SpineRule } from '../../src/core/extract/rules.js';
import { settingsEntries } from '../../src/core/render/settings-entries.js';
import { parseFrontmatter } from '../../src/spine/frontmatter.js';
import { loadSpine } from '../../src/spine/load.js';
import type { Spine } from '../../src/spine/model.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { EMBEDDED_SPINE_DIR } from '../../src/spine/sources/resolve.js';

let spine: Spine;
let spineRules: SpineRule[];
beforeAll(async () => {
  spine = (await loadSpine(readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/'))).spine!;
  spineRules = settingsEntries(spine, 't').flatMap((e) =>
    e.kind === 'rule' ? [{ id: e.id, effect: e.list, rule: e.value }] : [],
  );
});

const checks: DocChecks = {
  skillProblems: () => [],
  frontmatter: (c) => parseFrontmatter('', c.toString('utf8')).data,
  secretIn: () => undefined,
};

function pioneer(
  team: string,
  settings: Record<string, unknown>,
  files: Record<string, string> = {},
  tracked: string[] = [],
): Pioneer {
  const text = JSON.stringify(settings, null, 2);
  const lines = text.split('\n');
  return {
    source: team,
    team,
    files: new Map(
      Object.entries(files).map(([p, c]) => [
        p,
        { content: Buffer.from(c), mode: p.endsWith('.sh') ? 0o755 : 0o644 },
      ]),
    ),
    tracked: new Set(tracked),
    ownNames: [team],
    settings: [
      {
        file: '.claude/settings.json',
        personal: false,
        value: settings,
        // The line of the n-th rule: good enough to check that lines are carried.
        line: (path) =>
          lines.findIndex(
            (l) =>
              typeof path[2] === 'number' &&
              l.includes(JSON.stringify((settings as any).permissions?.[path[1]!]?.[path[2]])),
          ) + 1,
      },
    ],
  };
}

const find = (items: ExtractItem[], name: string) =>
  items.find((i) => i.name === name || i.rule?.rule === name);

describe('extract classification (hand-checked)', () => {
  it('deny and ask rules: new ones taken with stable ids, covered or identical ones merged, stricter ones in conflict', () => {
    const team = pioneer(
      'payments',
      {
        permissions: {
          deny: [
            'Bash(rm -rf /*)',
            'Bash(git push:*)',
            'Read(config/prod-keys.yml)',
            'Bash(./scripts/wipe-db.sh:*)',
            'Bash(payments-cli drop:*)',
          ],
          ask: ['Bash(npm publish:*)', 'Bash(git push origin main)', 'Bash(docker push:*)', 'Read(./.env)'],
          allow: ['Bash(npm test)'],
        },
      },
      {},
      ['config/prod-keys.yml', 'scripts/wipe-db.sh'],
    );
    const { items } = classify({ pioneers: [team], spine, spineRules, includeAllow: false, checks });
    expect(find(items, 'Bash(rm -rf /*)')).toMatchObject({
      action: 'take',
      name: 'deny-bash-rm-rf',
      kind: 'guardrail',
    });
    expect(find(items, 'Bash(docker push:*)')).toMatchObject({
      action: 'take',
      name: 'ask-bash-docker-push',
    });
    // The spine asks before git push; a team's deny is stricter: the platform team settles it.
    expect(find(items, 'Bash(git push:*)')).toMatchObject({ action: 'conflict' });
    expect(find(items, 'Bash(git push:*)')!.reason).toContain('gate-git-push');
    // Identical, and covered by a broader spine rule: merged, not doubled.
    expect(items.find((i) => i.rule?.rule === 'Bash(npm publish:*)')).toMatchObject({
      action: 'merged',
      name: 'gate-package-publish',
    });
    expect(items.find((i) => i.rule?.rule === 'Bash(git push origin main)')).toMatchObject({
      action: 'merged',
      name: 'gate-git-push',
    });
    // A path rule the spine's secret globs already cover (gitignore-style: **/.env matches .env).
    expect(items.find((i) => i.rule?.rule === 'Read(./.env)')).toMatchObject({
      action: 'merged',
      name: 'secret-dotenv',
    });
    // Repo-specific: a tracked path, a ./ script, the repo's own name.
    expect(find(items, 'Read(config/prod-keys.yml)')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('a path in this repo'),
    });
    expect(find(items, 'Bash(./scripts/wipe-db.sh:*)')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('repo script'),
    });
    expect(find(items, 'Bash(payments-cli drop:*)')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('payments'),
    });
    expect(find(items, 'Bash(npm test)')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('allow rules'),
    });
    // Every item names its source file and line.
    expect(find(items, 'Bash(rm -rf /*)')!.sources).toEqual([
      { team: 'payments', file: '.claude/settings.json', line: expect.any(Number) },
    ]);
    expect(find(items, 'Bash(rm -rf /*)')!.sources[0]!.line).toBeGreaterThan(1);
  });

  it('several pioneers: the same rule is one guardrail, a stronger candidate; the strictest effect wins', () => {
    const a = pioneer('alpha', {
      permissions: { deny: ['Bash(terraform state rm:*)'], ask: ['Bash(kubectl exec:*)'] },
    });
    const b = pioneer('beta', { permissions: { ask: ['Bash(terraform state rm:*)'], deny: [] } });
    const { items } = classify({ pioneers: [a, b], spine, spineRules, includeAllow: false, checks });
    const taken = items.filter((i) => i.action === 'take');
    expect(taken.map((i) => i.name).sort()).toEqual([
      'ask-bash-kubectl-exec',
      'deny-bash-terraform-state-rm',
    ]);
    const both = find(items, 'deny-bash-terraform-state-rm')!;
    expect(both.stronger).toBe(true);
    expect(both.rule!.effect).toBe('deny');
    expect(both.sources.map((s) => s.team)).toEqual(['alpha', 'beta']);
    expect(find(items, 'ask-bash-kubectl-exec')!.stronger).toBe(false);
  });

  it('allow rules are taken only with --include-allow, never one a neverAllow forbids', () => {
    const team = pioneer('web', {
      permissions: { allow: ['Bash(npm run lint)', 'Bash(curl https://x.example)'] },
    });
    const { items } = classify({ pioneers: [team], spine, spineRules, includeAllow: true, checks });
    expect(find(items, 'Bash(npm run lint)')).toMatchObject({
      action: 'take',
      name: 'allow-bash-npm-run-lint',
    });
    expect(find(items, 'Bash(curl https://x.example)')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('never-allow-curl-pipe'),
    });
  });

  it('rule ids are stable and unique', () => {
    const taken = new Set<string>();
    const first = ruleId('deny', 'Bash(rm -rf *)', taken);
    taken.add(first);
    expect(ruleId('deny', 'Bash(rm -rf *)', new Set())).toBe(first);
    const second = ruleId('deny', 'Bash(rm -rf:*)', taken);
    expect(second).not.toBe(first);
    expect(second).toMatch(/^deny-bash-rm-rf-[0-9a-f]{6}$/);
  });

  it('skills: taken verbatim with the mark, a clash with a different spine skill is a conflict, near-duplicates flagged', () => {
    const skill = (name: string, description: string) =>
      `---\nname: ${name}\ndescription: ${description}\n---\n\n# ${name}\n`;
    const team = pioneer(
      'web',
      {},
      {
        '.claude/skills/deploy-preview/SKILL.md': skill(
          'deploy-preview',
          'Deploys a preview environment for a branch.',
        ),
        '.claude/skills/deploy-preview/run.sh': '#!/bin/sh\necho hi\n',
        '.claude/skills/review-change/SKILL.md': skill('review-change', 'Our own review.'),
        '.claude/skills/change-reviewing/SKILL.md': skill('change-reviewing', 'Reviews a change.'),
        '.claude/agents/helper.md': '---\nname: helper\ndescription: Helps.\n---\nBody\n',
        '.claude/agents/nodesc.md': '---\nname: nodesc\n---\nBody\n',
        '.claude/commands/team/lint.md': 'Run the linter.\n',
      },
    );
    const { items, docWrites } = classify({
      pioneers: [team],
      spine,
      spineRules,
      includeAllow: false,
      checks,
    });
    const deploy = find(items, 'deploy-preview')!;
    expect(deploy).toMatchObject({ action: 'take', kind: 'skill', path: 'skills/deploy-preview/SKILL.md' });
    const writes = docWrites.get(deploy)!;
    expect(writes.find((w) => w.path.endsWith('run.sh'))).toMatchObject({
      mode: 0o755,
      content: Buffer.from('#!/bin/sh\necho hi\n'),
    });
    expect(contributedBy(writes.find((w) => w.path.endsWith('SKILL.md'))!.content.toString())).toBe('web');
    expect(find(items, 'review-change')).toMatchObject({ action: 'conflict' });
    expect(find(items, 'change-reviewing')!.similarTo?.[0]?.name).toBe('review-change');
    expect(find(items, 'helper')).toMatchObject({ action: 'take', kind: 'agent', path: 'agents/helper.md' });
    expect(find(items, 'nodesc')).toMatchObject({
      action: 'local',
      reason: expect.stringContaining('skips it'),
    });
    expect(find(items, 'team/lint')).toMatchObject({
      action: 'take',
      kind: 'command',
      path: 'commands/team/lint.md',
    });
  });

  it('glossary candidates: a glossary section, bold definitions, definition lists; known terms merged', () => {
    const memory = [
      '# Team notes',
      '',
      '**Ledger** — the append-only record of every payment event we store.',
      '**Important**: run the tests before pushing anything to main.',
      '',
      '## Glossary',
      '',
      '- Settlement: the moment funds actually move between the two banks.',
      '| Term | Meaning |',
      '| --- | --- |',
      '| Chargeback | A payment reversed by the card issuer after a dispute. |',
      '- Drift: any difference from what the locked spine version says.',
      '',
      '## Build',
      '',
      'Build: run make all to compile every package in the repo.',
      '',
      'Idempotency key',
      ': A client-chosen token that makes a retried request safe to repeat.',
    ].join('\n');
    const team = pioneer('payments', {}, { 'CLAUDE.md': memory, 'AGENTS.md': memory });
    const { items } = classify({ pioneers: [team], spine, spineRules, includeAllow: false, checks });
    const terms = items.filter((i) => i.kind === 'term');
    expect(
      terms
        .filter((t) => t.action === 'take')
        .map((t) => t.name)
        .sort(),
    ).toEqual(['Chargeback', 'Idempotency key', 'Ledger', 'Settlement']);
    expect(find(items, 'Ledger')).toMatchObject({
      definition: expect.stringContaining('append-only'),
      sources: [{ file: 'CLAUDE.md', line: 3 }],
    });
    expect(find(items, 'Drift')).toMatchObject({ action: 'merged', reason: 'already a glossary term' });
  });

  it('glossary clashes are conflicts: a word the spine says to avoid, an alias of a spine term', () => {
    const memory = [
      '**Golden path** — The paved road every service follows from commit to production.',
      '**Shared base** — The base container image every service in this repo builds on.',
      '**Spine** — The thin shared base every team inherits for its coding agent.',
      '**Ledger** — The append-only record of every payment event we store.',
    ].join('\n');
    const team = pioneer('payments', {}, { 'CLAUDE.md': memory });
    const { items } = classify({ pioneers: [team], spine, spineRules, includeAllow: false, checks });
    expect(find(items, 'Golden path')).toMatchObject({
      action: 'conflict',
      reason: expect.stringContaining('says to avoid "Golden path" (say "spine")'),
      sources: [{ team: 'payments', file: 'CLAUDE.md', line: 1 }],
    });
    expect(find(items, 'Shared base')).toMatchObject({
      action: 'conflict',
      reason: expect.stringContaining('"Shared base" as an alias of "spine"'),
    });
    expect(find(items, 'Spine')).toMatchObject({ action: 'merged' });
    expect(find(items, 'Ledger')).toMatchObject({ action: 'take' });
    const files = readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/').files;
    const glossary = renderExtraction({
      spineFiles: files,
      items,
      docWrites: new Map(),
      schemaComment: () => '',
    })
      .find((w) => w.path === 'glossary.yaml')!
      .content.toString();
    expect(glossary).toContain('term: Ledger');
    expect(glossary).not.toMatch(/term: (Golden path|Shared base)/);
  });

  it('what stays with the team: hooks (repo scripts named), MCP servers, plugins, other settings, memory prose', () => {
    const team = pioneer(
      'web',
      {
        hooks: {
          PostToolUse: [
            { matcher: 'Edit', hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR"/tools/fmt.sh' }] },
          ],
        },
        enabledMcpjsonServers: ['linear'],
        model: 'opus',
      },
      {
        '.mcp.json': '{\n  "mcpServers": {\n    "linear": { "command": "npx" }\n  }\n}\n',
        'CLAUDE.md': '# Web\n\nWe ship daily.\n',
      },
      ['tools/fmt.sh'],
    );
    const { items } = classify({ pioneers: [team], spine, spineRules, includeAllow: false, checks });
    const local = items.filter((i) => i.action === 'local').map((i) => [i.kind, i.name]);
    expect(local).toEqual(
      expect.arrayContaining([
        ['hook', expect.stringContaining('PostToolUse (Edit)')],
        ['mcp', 'enabledMcpjsonServers'],
        ['mcp', 'linear'],
        ['setting', 'model'],
        ['memory', 'CLAUDE.md'],
      ]),
    );
    expect(items.find((i) => i.kind === 'hook')!.reason).toContain('tools/fmt.sh');
    expect(items.find((i) => i.name === 'linear')!.sources).toEqual([
      { team: 'web', file: '.mcp.json', line: 3 },
    ]);
    expect(items.some((i) => i.action === 'take')).toBe(false);
  });

  it('renders guardrails with why: TODO and terms under review into the spine files, comments kept', () => {
    const team = pioneer(
      'payments',
      { permissions: { deny: ['Bash(rm -rf /*)'] } },
      { 'CLAUDE.md': '## Glossary\n\n- Ledger: the append-only record of every payment event.\n' },
    );
    const classified = classify({ pioneers: [team], spine, spineRules, includeAllow: false, checks });
    const files = readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/').files;
    const writes = renderExtraction({ spineFiles: files, ...classified, schemaComment: () => '' });
    const permissions = writes.find((w) => w.path === 'guardrails/permissions.yaml')!.content.toString();
    expect(permissions).toContain('# Permission guardrails.');
    expect(permissions).toContain(
      `  - id: deny-bash-rm-rf\n    rule: Bash(rm -rf /*)\n    level: default\n    why: "${TODO_WHY}"`,
    );
    expect(permissions).toContain('# extracted: payments .claude/settings.json:');
    const glossary = writes.find((w) => w.path === 'glossary.yaml')!.content.toString();
    expect(glossary).toContain('# review (extracted): payments CLAUDE.md:3\n  - term: Ledger');
    expect(glossary).toContain('aliases: [shared base, shared spine]');
    expect(writes.find((w) => w.path === 'CHANGELOG.md')!.content.toString()).toContain('## Unreleased');
  });
});

describe('the contributed-by mark', () => {
  it.each([
    ['frontmatter without metadata', '---\nname: a\ndescription: b\n---\nbody\n'],
    [
      'frontmatter with a metadata block',
      '---\nname: a\nmetadata:\n    owner: x\ndescription: b\n---\nbody\n',
    ],
    ['no frontmatter (a command)', 'Run the linter.\n'],
    ['CRLF line ends', '---\r\nname: a\r\ndescription: b\r\n---\r\nbody\r\n'],
  ])('%s: marked, parseable, recognised as the team copy', (_name, text) => {
    const marked = markContributed(text, 'web-team');
    expect(contributedBy(marked)).toBe('web-team');
    expect(parseFrontmatter('x', marked).problems).toEqual([]);
    expect(isMarkedCopy(marked, text)).toBe(true);
    expect(isMarkedCopy(marked, `${text}edited\n`)).toBe(false);
    expect(markContributed(marked, 'web-team')).toBe(marked);
  });
});
