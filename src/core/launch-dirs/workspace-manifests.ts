import { type Problem, problem } from '../problems.js';

/**
 * The workspace manifests at a repository's root and the member directories each declares, as
 * globs relative to the root. Pure: the files arrive as text. A manifest that does not parse is a
 * warning naming it (the repo still onboards; its members are then found by their own markers).
 */
export interface DeclaredMembers {
  /** The manifest that declares them, e.g. `package.json`. */
  file: string;
  /** What kind of workspace, shown as the reason a directory is a launch directory. */
  kind: string;
  include: string[];
  exclude: string[];
}

/** Every root file this module reads; the reader passes those that exist. */
export const WORKSPACE_FILES = [
  'package.json',
  'pnpm-workspace.yaml',
  'lerna.json',
  'workspace.json',
  'Cargo.toml',
  'go.work',
  'pyproject.toml',
  'settings.gradle',
  'settings.gradle.kts',
  'pom.xml',
] as const;

/**
 * The YAML and TOML parsers, given by the reader: it loads each only when a manifest in that
 * format is present, so a repository without one pays for neither library.
 */
export interface ManifestParsers {
  yaml(text: string): unknown;
  toml(text: string): unknown;
}

/** Which format each manifest is in, when it needs a parser of ManifestParsers. */
export const MANIFEST_FORMATS: Partial<Record<(typeof WORKSPACE_FILES)[number], keyof ManifestParsers>> = {
  'pnpm-workspace.yaml': 'yaml',
  'Cargo.toml': 'toml',
  'pyproject.toml': 'toml',
};

type Parser = (
  text: string,
  parse: ManifestParsers,
) => { include: string[]; exclude?: string[]; kind: string } | undefined;

const PARSERS: Record<(typeof WORKSPACE_FILES)[number], Parser> = {
  'package.json': (text) => {
    const pkg = JSON.parse(text) as { workspaces?: unknown };
    // npm and yarn: an array; yarn classic also `{packages: [...]}`. Turborepo builds on these.
    const list = Array.isArray(pkg.workspaces)
      ? pkg.workspaces
      : (pkg.workspaces as { packages?: unknown })?.packages;
    return { kind: 'npm/yarn workspace', ...splitNegations(strings(list)) };
  },
  'pnpm-workspace.yaml': (text, parse) => ({
    kind: 'pnpm workspace',
    ...splitNegations(strings((parse.yaml(text) as { packages?: unknown } | null)?.packages)),
  }),
  'lerna.json': (text) => ({
    kind: 'lerna package',
    include: strings((JSON.parse(text) as { packages?: unknown }).packages),
  }),
  'workspace.json': (text) => {
    const projects = (JSON.parse(text) as { projects?: unknown }).projects;
    const paths = projects && typeof projects === 'object' ? Object.values(projects) : [];
    return {
      kind: 'Nx project',
      include: strings(paths.map((p) => (typeof p === 'string' ? p : (p as { root?: unknown })?.root))),
    };
  },
  'Cargo.toml': (text, parse) => {
    const ws = (parse.toml(text) as { workspace?: { members?: unknown; exclude?: unknown } }).workspace;
    return { kind: 'Cargo workspace member', include: strings(ws?.members), exclude: strings(ws?.exclude) };
  },
  'go.work': (text) => ({ kind: 'go.work module', include: goWorkUses(text) }),
  'pyproject.toml': (text, parse) => {
    const tool = (parse.toml(text) as { tool?: Record<string, any> }).tool ?? {};
    const uv = tool.uv?.workspace;
    // Poetry has no workspaces of its own: a monorepo links its members as path dependencies.
    const deps = { ...tool.poetry?.dependencies, ...tool.poetry?.group?.dev?.dependencies };
    const poetry = Object.values(deps).flatMap((d: any) => (typeof d?.path === 'string' ? [d.path] : []));
    return {
      kind: uv ? 'uv workspace member' : 'Poetry path dependency',
      include: [...strings(uv?.members), ...poetry],
      exclude: strings(uv?.exclude),
    };
  },
  'settings.gradle': (text) => ({ kind: 'Gradle module', include: gradleIncludes(text) }),
  'settings.gradle.kts': (text) => ({ kind: 'Gradle module', include: gradleIncludes(text) }),
  'pom.xml': (text) => ({ kind: 'Maven module', include: mavenModules(text) }),
};

/** The members every present manifest declares; problems for manifests that do not parse. */
export function declaredMembers(
  files: Partial<Record<string, string>>,
  parsers: ManifestParsers,
): {
  declared: DeclaredMembers[];
  problems: Problem[];
} {
  const declared: DeclaredMembers[] = [];
  const problems: Problem[] = [];
  for (const file of WORKSPACE_FILES) {
    const text = files[file];
    if (text === undefined) continue;
    try {
      const found = PARSERS[file](text.replace(/^\uFEFF/, ''), parsers);
      if (!found || found.include.length === 0) continue;
      const include = found.include.map(normalisePattern);
      const outside = include.filter((p) => p.split('/').includes('..') || p.startsWith('/'));
      for (const p of outside) {
        problems.push(
          problem(
            'launch-dir-outside',
            `workspace member "${p}" is outside the repository: skipped`,
            { file },
            'warning',
          ),
        );
      }
      declared.push({
        file,
        kind: found.kind,
        include: include.filter((p) => !outside.includes(p) && p !== ''),
        exclude: (found.exclude ?? []).map(normalisePattern),
      });
    } catch (error) {
      problems.push(
        problem(
          'workspace-manifest-invalid',
          `cannot read its workspace members: ${(error as Error).message}`,
          { file },
          'warning',
        ),
      );
    }
  }
  return { declared, problems };
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    : [];
}

function splitNegations(patterns: string[]): { include: string[]; exclude: string[] } {
  return {
    include: patterns.filter((p) => !p.startsWith('!')),
    exclude: patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
  };
}

/** `./packages/x/` → `packages/x`: the form globs are matched in. */
export function normalisePattern(pattern: string): string {
  return pattern
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/\/\.\//g, '/');
}

/** `use ./a` and `use ( ./a \n ./b )` blocks of a go.work file. */
function goWorkUses(text: string): string[] {
  const out: string[] = [];
  const body = text.replace(/\/\/.*$/gm, '');
  for (const m of body.matchAll(/^\s*use\s*\(([^)]*)\)/gm)) out.push(...m[1]!.split(/\s+/).filter(Boolean));
  for (const m of body.matchAll(/^\s*use\s+([^\s(]+)/gm)) out.push(m[1]!);
  return out.map((p) => p.replace(/^"|"$/g, '')).filter((p) => p !== '.');
}

/** `include ':app', ':libs:core'` / `include("app")`: a Gradle path `:a:b` is the directory `a/b`. */
function gradleIncludes(text: string): string[] {
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of body.matchAll(/^\s*include\b\s*\(?([^\n)]*)\)?/gm)) {
    for (const q of m[1]!.matchAll(/["']([^"']+)["']/g)) out.push(q[1]!.replace(/^:/, '').replace(/:/g, '/'));
  }
  return out;
}

/** The `<module>` entries of a Maven aggregator pom (comments removed first). */
function mavenModules(text: string): string[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const modules = /<modules>([\s\S]*?)<\/modules>/.exec(body)?.[1] ?? '';
  return [...modules.matchAll(/<module>\s*([^<\s][^<]*?)\s*<\/module>/g)].map((m) => m[1]!);
}
