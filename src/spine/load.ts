import { errorsOf, type Problem, problem } from '../core/problems.js';
import { parseFrontmatter } from './frontmatter.js';
import type {
  AuditEvent,
  AuditPolicy,
  Champions,
  Effect,
  GlossaryTerm,
  Manifest,
  NamedDoc,
  RuleGuardrail,
  SecretPath,
  SimpleGuardrail,
  Skill,
  Spine,
  TokenPattern,
} from './model.js';
import { AUDIT_EVENTS } from './model.js';
import { checkSpineRules } from './rules.js';
import { checkSkill } from './skill-rules.js';
import { DEFAULT_OTLP_PROTOCOL } from './telemetry-rules.js';
import { displayPath, isSafeRelativePath, type SpineTree, spineFile } from './tree.js';
import { loadValidator, type SchemaName } from './validators.js';
import { parseYaml } from './yaml-file.js';

export interface LoadResult {
  spine?: Spine;
  problems: Problem[];
}

/** load → validate (schema) → normalise → cross-field rules. Never throws on bad input. */
export async function loadSpine(tree: SpineTree): Promise<LoadResult> {
  const problems: Problem[] = [...tree.problems];
  const at = (path: string) => displayPath(tree, path);

  for (const path of tree.files.keys()) {
    if (!isSafeRelativePath(path))
      problems.push(problem('unsafe-path', 'path could escape the target', { file: at(path) }));
  }
  if (!tree.files.has('spine.yaml')) {
    problems.push(problem('not-a-spine', 'not a spine: no spine.yaml', { file: at('spine.yaml') }));
    return { problems };
  }

  const readYaml = async (path: string, schema: SchemaName, required: boolean) => {
    const content = tree.files.get(path);
    if (!content) {
      if (required) problems.push(problem('missing-file', 'required file is missing', { file: at(path) }));
      return undefined;
    }
    const badLine = invalidUtf8Line(content);
    if (badLine) {
      problems.push(problem('invalid-utf8', 'not valid UTF-8', { file: at(path), line: badLine }));
      return undefined;
    }
    const parsed = parseYaml(at(path), content.toString('utf8'), await loadValidator(schema));
    problems.push(...parsed.problems);
    return errorsOf(parsed.problems).length ? undefined : (parsed.value as Record<string, any>);
  };

  const [
    manifestDoc,
    permissionsDoc,
    secretsDoc,
    auditDoc,
    glossaryDoc,
    championsDoc,
    networkDoc,
    toolchainsDoc,
  ] = await Promise.all([
    readYaml('spine.yaml', 'spine', true),
    readYaml('guardrails/permissions.yaml', 'permissions', false),
    readYaml('guardrails/secrets.yaml', 'secrets', false),
    readYaml('guardrails/audit.yaml', 'audit', false),
    readYaml('glossary.yaml', 'glossary', false),
    readYaml('champions.yaml', 'champions', false),
    readYaml('guardrails/network.yaml', 'network', false),
    readYaml('guardrails/toolchains.yaml', 'toolchains', false),
  ]);

  const skills = readSkills(tree, problems);
  const agents = readDocs(tree, 'agents/', problems, true);
  const commands = readDocs(tree, 'commands/', problems, false);
  if (!manifestDoc || errorsOf(problems).length > 0) return { problems };

  const spine: Spine = {
    manifest: normaliseManifest(manifestDoc),
    permissions: normalisePermissions(permissionsDoc ?? {}),
    secrets: normaliseSecrets(secretsDoc ?? {}),
    network: {
      allowed: networkDoc?.allowed ?? [],
      denied: networkDoc?.denied ?? [],
      managedDomainsOnly: networkDoc?.managedDomainsOnly,
      strictAllowlist: networkDoc?.strictAllowlist,
    },
    toolchains: ((toolchainsDoc?.toolchains ?? []) as Record<string, any>[]).map((g) => ({
      id: g.id,
      manifests: g.manifests ?? [],
      always: g.always === true,
      write: g.write ?? [],
      domains: g.domains ?? [],
      level: g.level,
      why: g.why,
    })),
    audit: auditDoc ? normaliseAudit(auditDoc) : undefined,
    skills,
    agents,
    commands,
    glossary: normaliseGlossary(glossaryDoc ?? { terms: [] }),
    champions: normaliseChampions(championsDoc ?? {}),
    changelog: tree.files.get('CHANGELOG.md')?.toString('utf8'),
  };
  problems.push(...checkSpineRules(spine, tree));
  return { spine: errorsOf(problems).length ? undefined : spine, problems };
}

function normaliseManifest(doc: Record<string, any>): Manifest {
  return {
    apiVersion: doc.apiVersion,
    name: doc.name,
    version: doc.version,
    description: doc.description,
    owners: doc.owners ?? [],
    targets: doc.targets ?? ['claude-code'],
    upstream: doc.upstream,
    policy: {
      waivers: {
        requireApprover: doc.policy?.waivers?.requireApprover ?? false,
        maxDays: doc.policy?.waivers?.maxDays,
      },
    },
    renames: doc.renames ?? [],
    tool: doc.tool,
  };
}

function normalisePermissions(doc: Record<string, any>): Spine['permissions'] {
  const file = 'guardrails/permissions.yaml';
  const rules: RuleGuardrail[] = [];
  for (const effect of ['deny', 'ask', 'allow'] as Effect[]) {
    for (const g of doc[effect] ?? []) {
      rules.push({
        id: g.id,
        effect,
        rules: g.rules ?? [g.rule],
        level: g.level,
        mode: g.mode ?? 'enforce',
        why: g.why,
        file,
      });
    }
  }
  return {
    bypassMode: doc.bypassMode as SimpleGuardrail | undefined,
    rules,
    neverAllow: doc.neverAllow ?? [],
  };
}

function normaliseSecrets(doc: Record<string, any>): Spine['secrets'] {
  const paths: SecretPath[] = (doc.paths ?? []).map((p: any) => ({
    id: p.id,
    globs: p.globs,
    bash: p.bash ?? [],
    level: p.level,
    mode: p.mode ?? 'enforce',
    why: p.why,
  }));
  return {
    paths,
    allowPaths: doc.allowPaths ?? [],
    tokens: (doc.tokens ?? []) as TokenPattern[],
    envVars: doc.envVars ?? [],
    credentials: (doc.credentials ?? []).map((c: any) => ({
      id: c.id,
      envVars: c.envVars ?? [],
      files: c.files ?? [],
      injectHosts: c.injectHosts ?? [],
      allowPlaintextInject: c.allowPlaintextInject === true,
      ...(c.plaintextWhy ? { plaintextWhy: c.plaintextWhy } : {}),
      level: c.level,
      why: c.why,
    })),
    sandbox: doc.sandbox ?? [],
    guard: doc.guard as SimpleGuardrail | undefined,
  };
}

function normaliseAudit(doc: Record<string, any>): AuditPolicy {
  const t = doc.telemetry;
  return {
    id: doc.id,
    level: doc.level,
    why: doc.why,
    events: (doc.events ?? [...AUDIT_EVENTS]) as AuditEvent[],
    dir: doc.sink?.dir ?? '.spine/audit',
    maxFieldChars: doc.redaction?.maxFieldChars ?? 4096,
    patterns: doc.redaction?.patterns ?? [],
    telemetry: t && {
      enabled: t.enabled,
      endpoint: t.endpoint,
      allowLinkLocal: t.allowLinkLocal === true,
      // One protocol for Claude Code's exporter and the hook's: init always writes it.
      protocol: t.protocol ?? DEFAULT_OTLP_PROTOCOL,
      metrics: t.metrics ?? true,
      logs: t.logs ?? true,
      logToolDetails: t.logToolDetails ?? false,
      resourceAttributes: t.resourceAttributes ?? {},
    },
  };
}

function normaliseGlossary(doc: Record<string, any>): GlossaryTerm[] {
  return (doc.terms ?? []).map((t: any) => ({
    term: t.term,
    definition: t.definition,
    aliases: t.aliases ?? [],
    avoid: t.avoid ?? [],
    see: t.see ?? [],
  }));
}

function normaliseChampions(doc: Record<string, any>): Champions {
  return { reviewers: doc.reviewers ?? [], teams: doc.teams ?? [] };
}

function readSkills(tree: SpineTree, problems: Problem[]): Skill[] {
  const byDir = new Map<string, string[]>();
  for (const path of tree.files.keys()) {
    if (!path.startsWith('skills/')) continue;
    const parts = path.split('/');
    if (parts.length < 3) {
      problems.push(
        problem('skill-layout', 'files in skills/ must be inside a skill directory', {
          file: displayPath(tree, path),
        }),
      );
      continue;
    }
    const dir = parts[1]!;
    byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
  }
  const skills: Skill[] = [];
  for (const [dir, paths] of [...byDir].sort(([a], [b]) => a.localeCompare(b))) {
    const skillFile = `skills/${dir}/SKILL.md`;
    const content = tree.files.get(skillFile);
    if (!content) {
      problems.push(
        problem('skill-layout', `skill directory "${dir}" has no SKILL.md (exactly that name)`, {
          file: displayPath(tree, `skills/${dir}/`),
        }),
      );
      continue;
    }
    const checked = checkSkill(dir, displayPath(tree, skillFile), content);
    problems.push(...checked.problems);
    skills.push({
      name: dir,
      description: checked.description,
      files: paths.sort().map((path) => spineFile(tree, path, tree.files.get(path)!)),
    });
  }
  return skills;
}

const DOC_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function readDocs(
  tree: SpineTree,
  prefix: 'agents/' | 'commands/',
  problems: Problem[],
  isAgent: boolean,
): NamedDoc[] {
  const docs: NamedDoc[] = [];
  for (const [path, content] of tree.files) {
    if (!path.startsWith(prefix)) continue;
    const file = displayPath(tree, path);
    const rel = path.slice(prefix.length);
    if (!rel.endsWith('.md')) continue;
    if (isAgent && rel.includes('/')) {
      problems.push(problem('agent-layout', 'agents must be directly in agents/', { file }));
      continue;
    }
    if (
      !rel
        .slice(0, -3)
        .split('/')
        .every((seg) => DOC_NAME.test(seg))
    ) {
      problems.push(problem('unsafe-name', 'name must be letters, digits, ".", "_" or "-"', { file }));
      continue;
    }
    const fm = parseFrontmatter(file, content.toString('utf8'));
    problems.push(...fm.problems);
    const name = isAgent ? fm.data?.name : rel.slice(0, -3);
    const description = fm.data?.description;
    if (isAgent) {
      if (typeof name !== 'string' || !DOC_NAME.test(name)) {
        problems.push(
          problem('agent-frontmatter', 'agent frontmatter needs a "name" (letters, digits, - or _)', {
            file,
            line: 1,
          }),
        );
        continue;
      }
      if (typeof description !== 'string' || description.trim() === '') {
        problems.push(
          problem(
            'agent-frontmatter',
            'agent frontmatter needs a "description" (Claude Code skips the agent without one)',
            { file, line: 1 },
          ),
        );
        continue;
      }
    }
    docs.push({
      name: String(name),
      description: typeof description === 'string' ? description : undefined,
      file: spineFile(tree, path, content),
    });
  }
  return docs.sort((a, b) => a.file.path.localeCompare(b.file.path));
}

/** The first line holding bytes that are not UTF-8 (Buffer#toString would hide them as U+FFFD). */
function invalidUtf8Line(content: Buffer): number | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(content);
    return undefined;
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = content.indexOf(10, start);
      try {
        decoder.decode(content.subarray(start, end < 0 ? content.length : end));
      } catch {
        return line;
      }
      if (end < 0) return line;
      start = end + 1;
    }
  }
}
