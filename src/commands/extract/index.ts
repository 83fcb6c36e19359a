import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SpineWrite } from '../../core/extract/docs.js';
import type { ExtractItem, Pioneer } from '../../core/extract/model.js';
import { classify, renderExtraction } from '../../core/extract/plan.js';
import type { SpineRule } from '../../core/extract/rules.js';
import { errorsOf, type Problem } from '../../core/problems.js';
import { settingsEntries } from '../../core/render/settings-entries.js';
import { locateJson } from '../../core/settings/settings-json.js';
import { UserError } from '../../errors.js';
import { askCheckbox } from '../../io/prompts.js';
import { withRepoWriter } from '../../io/transaction/index.js';
import { TXN_DIR } from '../../io/transaction/journal.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { loadSpine } from '../../spine/load.js';
import { schemaComment } from '../../spine/schema-comment.js';
import { readSpineDirectory } from '../../spine/sources/directory.js';
import { isGitRepository } from '../../spine/sources/spec.js';
import type { SpineTree } from '../../spine/tree.js';
import { parseSettingsFile, throwOnErrors } from '../../team/parse-team.js';
import { readPioneer } from '../../team/read-pioneer.js';
import { docChecks } from './checks.js';
import { branchBase, commitOnBranch, commitSubject, dirtyPath } from './git-change.js';
import { markdownReport } from './report.js';
import { interruptedExtract, isBranchFor, onlyPlannedChanges, treeBeforeExtract } from './resume.js';

export interface ExtractOptions extends BaseOptions {
  pioneers: string[];
  into: string;
  team?: string;
  dryRun: boolean;
  /** Tick what to take (needs a terminal). */
  pick: boolean;
  includeAllow: boolean;
  offline: boolean;
  /** Also write the Markdown report to this file. */
  report?: string;
}

export interface ExtractResult {
  schemaVersion: 1;
  dryRun: boolean;
  spine: { dir: string; name: string; version: string };
  pioneers: { source: string; team: string; commit?: string }[];
  branch?: string;
  commit?: string;
  /** The branch the spine's work tree is on after extract (the one it started on). */
  checkedOut?: string;
  summary: Record<ExtractItem['action'], number>;
  items: ExtractItem[];
  changes: { path: string; action: 'create' | 'update'; mode: string }[];
  warnings: Problem[];
}

/** Proposes the shared layer from pioneer repos, as one change (a branch) in the spine repo. */
export async function extract(options: ExtractOptions): Promise<{ result: ExtractResult; markdown: string }> {
  const dir = resolve(options.cwd, options.into);
  const shown = options.into;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError('not a directory', { file: shown });
  if (options.pick && !options.interactive)
    throw new UserError('--interactive needs a terminal (and no --yes or CI)');
  if (options.team && options.pioneers.length > 1) {
    throw new UserError(
      '--team names the team of a single pioneer; with several, each is named after its repo',
    );
  }
  const isGit = isGitRepository(dir);
  const dirty = isGit ? await dirtyPath(dir) : undefined;
  const uncommitted = () =>
    new UserError('the spine work tree has uncommitted changes: commit or stash them first', {
      file: `${shown.replace(/\/$/, '')}/${dirty}`,
    });
  // A run killed between its branch and its commit is resumed, if what it left is provably its own.
  const interrupted = isGit ? await interruptedExtract(dir) : undefined;
  if (dirty && !interrupted) throw uncommitted();
  // Into a plain directory, a killed run's transaction is finished or rolled back first (as every
  // writer does), so the plan is made from the spine as it is, not from half of a write.
  if (!isGit && !options.dryRun && existsSync(join(dir, TXN_DIR)))
    await finishInterrupted(dir, options.stateDir);
  const label = `${shown.replace(/\/+$/, '')}/`;
  const read = readSpineDirectory(dir, label);
  const tree = interrupted ? await treeBeforeExtract(dir, read, interrupted) : read;
  if (!tree) throw uncommitted();
  const loaded = await loadSpine(tree);
  const warnings = throwOnErrors(loaded.problems);
  const spine = loaded.spine!;

  const pioneers: Pioneer[] = [];
  for (const spec of options.pioneers) {
    const files = await readPioneer(spec, { ...options, team: options.team });
    const settings: Pioneer['settings'] = [];
    for (const [file, personal] of [
      ['.claude/settings.json', false],
      ['.claude/settings.local.json', true],
    ] as const) {
      const content = files.files.get(file)?.content;
      if (!content) continue;
      // A file the client would drop is bad input: what it says cannot be read as the team meant it.
      const parsed = await parseSettingsFile(`${files.label}${file}`, content, options.cacheDir);
      warnings.push(...throwOnErrors(parsed.problems));
      const json = parsed.json!;
      settings.push({ file, personal, value: json.value, line: (path) => locateJson(json, path).line });
    }
    pioneers.push({ ...files, settings });
  }

  const spineRules: SpineRule[] = settingsEntries(spine, 'spine').flatMap((e) =>
    e.kind === 'rule' ? [{ id: e.id, effect: e.list, rule: e.value }] : [],
  );
  const classified = classify({
    pioneers,
    spine,
    spineRules,
    includeAllow: options.includeAllow,
    checks: docChecks(spine.secrets.tokens),
  });
  const items = classified.items;
  if (options.pick) await pick(items);

  const writes = await validatedWrites(tree, items, classified.docWrites);
  const teams = [...new Set(pioneers.map((p) => p.team))];
  const resume =
    interrupted &&
    !options.dryRun &&
    isBranchFor(interrupted.branch, branchBase(teams)) &&
    (!interrupted.committed || interrupted.committed.subject === commitSubject(teams)) &&
    onlyPlannedChanges(interrupted, writes, (path) => fileAt(dir, path));
  if (dirty && !resume) throw uncommitted();
  let branch: string | undefined;
  let commit: string | undefined;
  let checkedOut: string | undefined;
  if (!options.dryRun && writes.length > 0) {
    const changes = writes.map((w) => ({
      path: w.path,
      action: tree.files.has(w.path) ? ('update' as const) : ('create' as const),
      content: w.content,
      mode: w.mode,
      note: 'extracted',
    }));
    if (isGit)
      ({
        branch,
        commit,
        returnedTo: checkedOut,
      } = await commitOnBranch(
        dir,
        teams,
        changes,
        summaryLine(items),
        options.stateDir,
        resume ? interrupted : undefined,
      ));
    else {
      const { writeChanges } = await import('../shared/write-changes.js');
      await writeChanges(dir, changes, 'extract', options.stateDir);
    }
  }

  const result: ExtractResult = {
    schemaVersion: 1,
    dryRun: options.dryRun,
    spine: { dir, name: spine.manifest.name, version: spine.manifest.version },
    pioneers: pioneers.map((p) => ({ source: p.source, team: p.team, commit: p.commit })),
    branch,
    commit,
    checkedOut,
    summary: {
      take: count(items, 'take'),
      merged: count(items, 'merged'),
      local: count(items, 'local'),
      conflict: count(items, 'conflict'),
      declined: count(items, 'declined'),
    },
    items,
    changes: writes.map((w) => ({
      path: w.path,
      action: tree.files.has(w.path) ? 'update' : 'create',
      mode: w.mode.toString(8),
    })),
    warnings,
  };
  const markdown = markdownReport(
    {
      spine: `${spine.manifest.name} v${spine.manifest.version} (${shown})`,
      pioneers: result.pioneers,
      branch,
      dryRun: options.dryRun,
    },
    items,
  );
  if (options.report) writeFileSync(resolve(options.cwd, options.report), markdown);
  return { result, markdown };
}

/**
 * The writes, checked by loading the spine as it would be: an item whose files the spine would
 * refuse (a link to a file the skill does not ship, a name clash the loader finds) stays local
 * with the loader's reason, so the change always passes spine validate.
 */
async function validatedWrites(
  tree: SpineTree,
  items: ExtractItem[],
  docWrites: Map<ExtractItem, SpineWrite[]>,
): Promise<SpineWrite[]> {
  for (let round = 0; round < 10; round++) {
    const writes = renderExtraction({ spineFiles: tree.files, items, docWrites, schemaComment });
    const files = new Map(tree.files);
    const executable = new Set(tree.executable);
    for (const w of writes) {
      files.set(w.path, w.content);
      if (w.mode & 0o111) executable.add(w.path);
      else executable.delete(w.path);
    }
    const problems = errorsOf(
      (await loadSpine({ label: tree.label, files, executable, problems: [] })).problems,
    );
    if (problems.length === 0) return writes;
    let demoted = false;
    for (const p of problems) {
      const path = p.file.slice(tree.label.length);
      const term = path === 'glossary.yaml' ? clashingTerm(items, p.message) : undefined;
      if (term) {
        // A word the glossary cannot hold twice is for people to settle, like a name clash.
        term.action = 'conflict';
        term.reason = `the spine glossary would refuse it: ${p.message}`;
        demoted = true;
        continue;
      }
      const item = items.find(
        (i) => i.action === 'take' && (docWrites.get(i) ?? []).some((w) => w.path === path),
      );
      if (item) {
        item.action = 'local';
        item.reason = `the spine would refuse it: ${p.message}${p.line ? ` (line ${p.line})` : ''}`;
        demoted = true;
      }
    }
    if (!demoted) {
      const p = problems[0]!;
      throw new UserError(`the extracted spine would not load: ${p.message}`, p);
    }
  }
  throw new UserError('the extracted spine would not load');
}

/** The taken term a glossary problem quotes (`"golden path" is to be avoided in …`). */
function clashingTerm(items: ExtractItem[], message: string): ExtractItem | undefined {
  const quoted = new Set([...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.toLowerCase()));
  return items.find((i) => i.kind === 'term' && i.action === 'take' && quoted.has(i.name.toLowerCase()));
}

async function pick(items: ExtractItem[]): Promise<void> {
  const candidates = items.filter((i) => i.action === 'take');
  if (candidates.length === 0) return;
  const chosen = new Set(
    await askCheckbox(
      'Take into the spine (space toggles, enter confirms)',
      candidates.map((item) => ({
        name: `${item.stronger ? '★ ' : ''}${item.kind} ${item.rule ? `${item.rule.effect} ${item.rule.rule}` : item.name}`,
        value: item,
        description: item.reason,
        checked: true,
      })),
    ),
  );
  for (const item of candidates) {
    if (!chosen.has(item)) {
      item.action = 'declined';
      item.reason = 'not ticked';
    }
  }
}

/** Recovery alone: the writer lock taken, any journal acted on, nothing else written. */
async function finishInterrupted(dir: string, stateDir: string): Promise<void> {
  await withRepoWriter(dir, { command: 'extract', stateDir }, async () => {});
}

/** A work-tree file's bytes, or undefined when it is not a plain readable file. */
function fileAt(dir: string, path: string): Buffer | undefined {
  try {
    const abs = join(dir, path);
    return lstatSync(abs).isFile() ? readFileSync(abs) : undefined;
  } catch {
    return undefined;
  }
}

function count(items: ExtractItem[], action: ExtractItem['action']): number {
  return items.filter((i) => i.action === action).length;
}

function summaryLine(items: ExtractItem[]): string {
  return `${count(items, 'take')} taken, ${count(items, 'merged')} merged, ${count(items, 'conflict')} conflicts, ${count(items, 'local')} left local`;
}

export async function runExtract(options: ExtractOptions, out: Output): Promise<void> {
  const { result, markdown } = await extract(options);
  if (out.isJson) return out.json(result);
  out.out(markdown);
  const c = out.color;
  if (result.dryRun) out.out(c.yellow('dry run: nothing written'));
  else if (result.changes.length === 0) out.out('Nothing to take: the spine is unchanged.');
  else if (result.branch) {
    const back = result.checkedOut ? ` ${result.checkedOut} is unchanged and still checked out.` : '';
    out.out(
      `Committed ${result.changes.length} file(s) on branch ${c.bold(result.branch)} (${result.commit?.slice(0, 12)}).${back} Next: ${c.cyan(`git switch ${result.branch}`)}, write each guardrail's why, review the terms, ${c.cyan('spine validate')}, then push it for review (${c.cyan(`git push origin ${result.branch}`)}) or merge it (${c.cyan(`git merge ${result.branch}`)}).`,
    );
  } else
    out.out(
      `Wrote ${result.changes.length} file(s). Next: write each guardrail's why, review the terms, ${c.cyan('spine validate')}.`,
    );
}
