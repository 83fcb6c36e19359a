import { memoryFiles } from './glossary.js';
import type { ExtractItem, Pioneer } from './model.js';
import { repoSpecific } from './repo-specific.js';

const MCP_KEYS = [
  'mcpServers',
  'enabledMcpjsonServers',
  'disabledMcpjsonServers',
  'enableAllProjectMcpServers',
];
const PLUGIN_KEYS = ['enabledPlugins', 'extraKnownMarketplaces'];

/** What stays with the team, and why: hooks, MCP servers, plugins, other settings, CLAUDE.md prose. */
export function localItems(pioneer: Pioneer): ExtractItem[] {
  const items: ExtractItem[] = [];
  const add = (kind: ExtractItem['kind'], name: string, reason: string, file: string, line?: number) =>
    items.push({
      kind,
      name,
      action: 'local',
      reason,
      sources: [{ team: pioneer.team, file, line }],
      stronger: false,
    });

  for (const s of pioneer.settings) {
    const personal = s.personal ? 'personal settings (settings.local.json) stay with the person; ' : '';
    for (const [key, value] of Object.entries(s.value)) {
      if (key === 'permissions') {
        for (const sub of Object.keys(value as object)) {
          if (['allow', 'deny', 'ask'].includes(sub)) continue;
          add(
            'setting',
            `permissions.${sub}`,
            `${personal}a team setting, not a guardrail`,
            s.file,
            s.line(['permissions', sub]),
          );
        }
        continue;
      }
      if (key === 'hooks' && value && typeof value === 'object') {
        for (const [event, groups] of Object.entries(value)) {
          (Array.isArray(groups) ? groups : []).forEach((group, g) => {
            const hooks = Array.isArray(group?.hooks) ? group.hooks : [];
            hooks.forEach((hook: { command?: unknown }, h: number) => {
              const command = typeof hook?.command === 'string' ? hook.command : '';
              const specific = repoSpecific(`Bash(${command})`, pioneer) ?? scriptOf(command);
              add(
                'hook',
                `${event}${group?.matcher ? ` (${group.matcher})` : ''}: ${short(command)}`,
                `${personal}${specific ? `a team hook tied to this repo (${specific})` : 'a team hook'}; the spine ships its own audit and guard hooks`,
                s.file,
                s.line(['hooks', event, g, 'hooks', h, 'command']),
              );
            });
          });
        }
        continue;
      }
      if (MCP_KEYS.includes(key)) {
        add('mcp', key, `${personal}MCP servers are one team's tools and credentials`, s.file, s.line([key]));
        continue;
      }
      if (PLUGIN_KEYS.includes(key)) {
        add(
          'setting',
          key,
          `${personal}project plugins and marketplaces are the team's choice`,
          s.file,
          s.line([key]),
        );
        continue;
      }
      add('setting', key, `${personal}a team setting, not a guardrail`, s.file, s.line([key]));
    }
  }

  const mcp = pioneer.files.get('.mcp.json');
  if (mcp) {
    let servers: string[] = [];
    try {
      servers = Object.keys(
        (JSON.parse(mcp.content.toString('utf8')) as { mcpServers?: object }).mcpServers ?? {},
      );
    } catch {
      servers = [];
    }
    const text = mcp.content.toString('utf8');
    for (const name of servers) {
      add(
        'mcp',
        name,
        "an MCP server: one team's tools and credentials",
        '.mcp.json',
        lineOf(text, `"${name}"`),
      );
    }
  }

  for (const file of memoryFiles(pioneer)) {
    const lines = pioneer.files.get(file)!.content.toString('utf8').split('\n').length;
    add(
      'memory',
      file,
      `the team's own memory (${lines} lines of prose); glossary candidates are listed separately`,
      file,
      1,
    );
  }
  for (const path of pioneer.files.keys()) {
    if (/^\.claude\/skills\/[^/]+$/.test(path))
      add('skill', path, 'a loose file, not inside a skill folder', path);
  }
  return items;
}

function scriptOf(command: string): string | undefined {
  const m = /(?:\$CLAUDE_PROJECT_DIR"?\/?|^|\s)((?:\.claude|bin|scripts|tools)\/[\w./-]+)/.exec(command);
  return m ? `runs the repo script ${m[1]}` : undefined;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

function lineOf(text: string, needle: string): number | undefined {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  return i < 0 ? undefined : i + 1;
}
