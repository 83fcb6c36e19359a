import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { packagePath } from '../../io/package-files.js';
import type { Output } from '../../output/output.js';
import { type DocMatch, type DocPage, findPage, searchPages, toPage } from './pages.js';

export interface DocsOptions {
  /** A topic (`doctor`, `platform-team`); without one, the list of topics. */
  topic?: string;
  /** Lines of the docs (or of the one topic) that contain this text. */
  search?: string;
}

export type DocsResult =
  | { kind: 'topics'; topics: { topic: string; title: string }[] }
  | { kind: 'page'; topic: string; title: string; text: string }
  | { kind: 'search'; search: string; matches: DocMatch[] };

/** The docs that ship in the package (`docs/*.md`, and the README as `readme`), in topic order. */
export function readDocPages(dir = packagePath('docs')): DocPage[] {
  const pages = readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.md'))
    .map((name) => toPage(name, readFileSync(join(dir, name), 'utf8')));
  pages.push(toPage('readme.md', readFileSync(packagePath('README.md'), 'utf8')));
  return pages.sort((a, b) => a.topic.localeCompare(b.topic));
}

/** The bundled docs: the list of topics, one page, or the lines that mention a text. */
export function docs(options: DocsOptions, pages = readDocPages()): DocsResult {
  let inScope = pages;
  if (options.topic !== undefined) {
    const page = findPage(pages, options.topic);
    if (!page) {
      throw new UserError(
        `no docs topic "${options.topic}"; the topics are: ${pages.map((p) => p.topic).join(', ')}`,
      );
    }
    if (options.search === undefined) return { kind: 'page', ...page };
    inScope = [page];
  }
  if (options.search !== undefined) {
    if (options.search.trim() === '') throw new UserError('--search needs a text to look for');
    return { kind: 'search', search: options.search, matches: searchPages(inScope, options.search) };
  }
  return { kind: 'topics', topics: pages.map(({ topic, title }) => ({ topic, title })) };
}

export function runDocs(options: DocsOptions, out: Output): void {
  const result = docs(options);
  if (out.isJson) out.json({ schemaVersion: 1, ...result });
  else for (const line of formatDocs(result, out)) out.out(line);
  if (!out.isJson && result.kind === 'search' && result.matches.length === 0) {
    out.err(`Nothing in the docs mentions "${result.search}".`);
  }
}

function formatDocs(result: DocsResult, out: Output): string[] {
  if (result.kind === 'page') return [result.text.trimEnd()];
  if (result.kind === 'search') {
    return result.matches.map((m) => `${out.color.bold(`${m.topic}:${m.line}`)}  ${m.text.trim()}`);
  }
  const width = Math.max(...result.topics.map((t) => t.topic.length));
  return [
    ...result.topics.map((t) => `${t.topic.padEnd(width)}  ${t.title}`),
    '\nRead one with spine docs <topic>; search them with spine docs --search <text>.',
  ];
}
