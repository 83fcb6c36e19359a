import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOOK_FILE_NAMES, type HookFile } from '../core/render/desired-state.js';

/**
 * The package root (package.json, templates/, spine/, schemas/, generated/, dist/), with a
 * trailing separator. Found from this module's own file: under the tests it runs from src/io, in
 * the package from whichever chunk of the dist/ bundle it landed in.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

const root = pathToFileURL(PACKAGE_ROOT);

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir.endsWith(sep) ? dir : dir + sep;
    if (dirname(dir) === dir)
      throw new Error(`no package.json above ${from}: the spine package is incomplete`);
  }
}

/** A file of the package, by its path from the package root (`schemas/spine.schema.json`). */
export function packagePath(path: string): string {
  return join(PACKAGE_ROOT, path);
}

/** The built, dependency-free hook runtime that init copies into team repos: every file of it. */
export function readHookFiles(): HookFile[] {
  return HOOK_FILE_NAMES.map((name) => ({ name, content: readBuiltHook(name) }));
}

function readBuiltHook(name: string): Buffer {
  const url = new URL(`dist/hooks/${name}`, root);
  try {
    return readFileSync(url);
  } catch {
    throw new Error(`the hook runtime is not built (${fileURLToPath(url)}): run npm run build`);
  }
}

export function readTemplate(path: string): string {
  return readFileSync(new URL(`templates/${path}`, root), 'utf8');
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;
}

/** The npm name the CLI is published under (the command is `spine`). */
export const PACKAGE_NAME = 'agent-spine';

export interface CiInstall {
  /** The tool version recorded in the lock. */
  version: string;
  /** spine.yaml `tool`: an org mirror of the package and its registry. */
  package?: string;
  registry?: string;
  /** spine.yaml `tool.updateRequests`: a scheduled job opens the update pull request. */
  updateRequests?: boolean;
}

/** The managed CI workflow, installing exactly the locked tool version. */
export function ciWorkflowContent(install: CiInstall): Buffer {
  const registry = install.registry ? ` --registry ${install.registry}` : '';
  const INSTALL = `npm install --global --no-audit --no-fund ${install.package ?? PACKAGE_NAME}@${install.version}${registry}`;
  const UPDATE_JOB = install.updateRequests
    ? fillTemplate(readTemplate('ci/github-update-job.yml'), { INSTALL })
    : '';
  return Buffer.from(fillTemplate(readTemplate('ci/github-workflow.yml'), { INSTALL, UPDATE_JOB }));
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (match, key: string) => values[key] ?? match);
}

let cachedBuildId: string | undefined;

/** Identifies the exact build (see scripts/build-hook.mjs), for keys of memoised results. */
export function buildId(): string {
  if (cachedBuildId === undefined) {
    try {
      cachedBuildId = readFileSync(new URL('generated/build-id', root), 'utf8').trim();
    } catch {
      cachedBuildId = toolVersion();
    }
  }
  return cachedBuildId;
}

/** The package's npm name, for commands that run this tool elsewhere (CI workflows). */
export function packageName(): string {
  return (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { name: string }).name;
}
