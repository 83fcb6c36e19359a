/** Finds secrets in text files before they leave the team: token formats, private keys, high-entropy values. */

export interface TokenRule {
  id: string;
  pattern: string;
  why: string;
}

export interface SecretHit {
  /** The rule that matched: a token id, `private-key` or `high-entropy-assignment`. */
  id: string;
  file: string;
  line: number;
  column: number;
  why: string;
  /** The match with its middle masked, safe to print. */
  excerpt: string;
}

/** Formats every spine knows, whatever its secrets.yaml says: the scan never gets weaker. */
export const BUILTIN_TOKENS: TokenRule[] = [
  { id: 'token-aws-access-key', pattern: '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b', why: 'AWS access key id' },
  {
    id: 'token-github',
    pattern: '\\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\\b',
    why: 'GitHub token',
  },
  { id: 'token-gitlab', pattern: '\\bglpat-[A-Za-z0-9_-]{20,}\\b', why: 'GitLab personal access token' },
  { id: 'token-slack', pattern: '\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b', why: 'Slack token' },
  { id: 'token-google-api-key', pattern: '\\bAIza[0-9A-Za-z_-]{35}\\b', why: 'Google API key' },
  { id: 'token-stripe', pattern: '\\b[rs]k_(live|test)_[0-9A-Za-z]{16,}\\b', why: 'Stripe secret key' },
  { id: 'token-anthropic', pattern: '\\bsk-ant-[A-Za-z0-9_-]{20,}', why: 'Anthropic API key' },
  { id: 'token-openai', pattern: '\\bsk-(proj-)?[A-Za-z0-9]{32,}\\b', why: 'OpenAI API key' },
  { id: 'token-npm', pattern: '\\bnpm_[A-Za-z0-9]{36}\\b', why: 'npm access token' },
  {
    id: 'token-jwt',
    pattern: '\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
    why: 'JSON Web Token',
  },
  {
    id: 'private-key',
    pattern: '-----BEGIN ([A-Z]+ )*PRIVATE KEY( BLOCK)?-----',
    why: 'private key block',
  },
];

/** `password = "…"`, `API_KEY: …`, `"clientSecret": "…"` — the value is what gets measured. */
const ASSIGNMENT =
  /(?<key>[A-Za-z0-9_.-]*(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)[A-Za-z0-9_.-]*)["']?\s*(?::=|=|:)\s*["'`]?(?<value>[A-Za-z0-9+/=_\-.~]{16,})/gi;

/** Shannon entropy in bits per character; random tokens are above ~3.5, words and ids below. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER = /^(x+|\*+|\.+|<.*>|your[-_].*|example.*|changeme.*|placeholder.*|dummy.*|redacted.*)$/i;

function looksRandom(value: string): boolean {
  if (PLACEHOLDER.test(value)) return false;
  // Letters alone (an identifier, a CamelCase class name) are a name, not a key: keys mix in digits.
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 3.5;
}

export interface ScanInput {
  files: { path: string; content: Buffer }[];
  /** Token formats from the spine's guardrails/secrets.yaml, added to the built-ins. */
  tokens?: TokenRule[];
}

/** Every hit, in file and line order. Binary files are skipped; an invalid pattern is ignored. */
export function scanForSecrets({ files, tokens = [] }: ScanInput): SecretHit[] {
  const rules = compileRules([...BUILTIN_TOKENS, ...tokens]);
  const hits: SecretHit[] = [];
  for (const { path, content } of files) {
    if (content.includes(0)) continue;
    const lines = content.toString('utf8').split(/\r?\n/);
    lines.forEach((text, index) => {
      const seen = new Set<number>();
      const add = (id: string, why: string, column: number, match: string) => {
        if (seen.has(column)) return;
        seen.add(column);
        hits.push({ id, file: path, line: index + 1, column: column + 1, why, excerpt: mask(match) });
      };
      for (const rule of rules) {
        for (const m of text.matchAll(rule.re)) add(rule.id, rule.why, m.index, m[0]);
      }
      for (const m of text.matchAll(ASSIGNMENT)) {
        const value = m.groups!.value!;
        if (!looksRandom(value)) continue;
        add(
          'high-entropy-assignment',
          `high-entropy value assigned to "${m.groups!.key}"`,
          m.index + m[0].lastIndexOf(value),
          value,
        );
      }
    });
  }
  return hits;
}

function compileRules(rules: TokenRule[]): { id: string; why: string; re: RegExp }[] {
  const seen = new Set<string>();
  const compiled: { id: string; why: string; re: RegExp }[] = [];
  for (const rule of rules) {
    if (seen.has(rule.pattern)) continue;
    seen.add(rule.pattern);
    try {
      compiled.push({ id: rule.id, why: rule.why, re: new RegExp(rule.pattern, 'g') });
    } catch {
      // spine validate reports invalid patterns; the scan keeps the ones that compile.
    }
  }
  return compiled;
}

function mask(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(Math.min(value.length - 6, 12))}${value.slice(-2)}`;
}
