import { requiredMarks } from './regex-marks.js';

/**
 * Redaction of secrets in what the audit log records, before anything is written. Built-in
 * token formats, then the spine's own patterns; then long strings are cut to keep lines bounded.
 */
export const REDACTED = '[REDACTED]';

/**
 * Built-in token formats, each with the fixed text every match contains. A regular expression is
 * compiled on its first use, which costs more than the hook's whole decision over a short
 * command; most strings contain none of these markers, so a substring search skips the pattern.
 */
const BUILT_IN: { marks: string[]; re: RegExp }[] = [
  // PEM private key blocks, whole (or to the end when cut off).
  {
    marks: ['-----BEGIN '],
    re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  { marks: ['AKIA', 'ASIA', 'AIDA', 'AROA'], re: /\b(?:AKIA|ASIA|AIDA|AROA)[0-9A-Z]{16}\b/g },
  { marks: ['gh', 'github_pat_'], re: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { marks: ['glpat-'], re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { marks: ['gl'], re: /\bgl(?:dt|rt|cbt|ptt|ft|imt|oas|agent)-[A-Za-z0-9_-]{20,}\b/g },
  { marks: ['xox'], re: /\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g },
  {
    marks: ['https://hooks.slack.com/services/'],
    re: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]+/g,
  },
  { marks: ['_live_', '_test_'], re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { marks: ['sk-'], re: /\bsk-(?:ant-)?[A-Za-z0-9_-]{20,}\b/g },
  { marks: ['AIza'], re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  // JSON Web Tokens: header.payload.signature, both first parts base64url JSON ("eyJ").
  { marks: ['eyJ'], re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  { marks: ['npm_'], re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { marks: ['SG.'], re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { marks: ['pypi-AgE'], re: /\bpypi-AgE[A-Za-z0-9_-]{50,}/g },
  { marks: ['dckr_pat_'], re: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g },
  { marks: ['hf_'], re: /\bhf_[A-Za-z0-9]{30,}\b/g },
  { marks: ['shp'], re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { marks: ['dop_v1_'], re: /\bdop_v1_[a-f0-9]{64}\b/g },
  { marks: ['SK'], re: /\bSK[0-9a-fA-F]{32}\b/g },
  { marks: ['key-'], re: /\bkey-[0-9a-f]{32}\b/g },
  { marks: ['sq0'], re: /\bsq0(?:atp|csp)-[A-Za-z0-9_-]{22,}/g },
  { marks: [':AA'], re: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g },
];

/** The password in a URL's userinfo (`postgres://user:pass@host`, `https://u:p@git…`); the user stays. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@/'"]+@/gi;

/** `Authorization: <scheme> <credentials>` in headers, curl flags and code. */
const AUTH_HEADER =
  /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token|digest)\s+)?[^\s"',;]+/gi;
const BEARER = /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/**
 * `PASSWORD=x`, `export API_KEY="x"`, `"client_secret": "x"`, `db_password: x`, `apiToken = 'x'`.
 * The name is checked in code so `monkey: x` and `keyboard=x` stay as they are.
 */
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])(["']?)([A-Za-z][A-Za-z0-9_.-]{0,63})\1([ \t]*[:=][ \t]*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"',;&|)}\]]+)/g;
/**
 * A name that says it holds a secret: a word of SECRET_WORDS (an `s` after it too) between `_`, `.`
 * or `-` or the ends, in any case (`DB_PASSWORD`, `api-key`, `auth.tokens`); or camelCase ending in
 * one (`dbPassword`, `apiKeys`). Words and loops rather than a case-insensitive regular expression:
 * this runs on every audit record, and compiling that expression cost a hook process more than
 * all the rest of the redaction (test/unit/hooks-redact.test.ts holds the expression it replaces
 * and checks both agree).
 */
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'pass',
  'secret',
  'token',
  'key',
  'apikey',
  'credential',
  'credentials',
  'auth',
]);
const SECRET_ENDINGS = ['Password', 'Passwd', 'Secret', 'Token', 'Key', 'Credential', 'Credentials'];

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  let start = 0;
  for (let i = 0; i <= lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (i < lower.length && c !== 0x5f && c !== 0x2e && c !== 0x2d) continue;
    const word = lower.slice(start, i);
    if (SECRET_WORDS.has(word) || (word.endsWith('s') && SECRET_WORDS.has(word.slice(0, -1)))) return true;
    start = i + 1;
  }
  return camelSecret(name) || (name.endsWith('s') && camelSecret(name.slice(0, -1)));
}

/** Ends in a capitalised secret word after a lower-case letter or digit. */
function camelSecret(name: string): boolean {
  for (const ending of SECRET_ENDINGS) {
    if (name.length <= ending.length || !name.endsWith(ending)) continue;
    const before = name.charCodeAt(name.length - ending.length - 1);
    if ((before >= 0x61 && before <= 0x7a) || (before >= 0x30 && before <= 0x39)) return true;
  }
  return false;
}

/** A pattern to redact, and when known the fixed text one of which every match contains. */
export interface Redaction {
  marks?: readonly string[];
  re: RegExp;
}

/**
 * The spine's own patterns. Each gets the fixed text its matches must contain, where the pattern
 * shows it plainly (requiredMarks): a string without it is not searched, so the expression is
 * never compiled for it — as with the built-in formats. Compiled once per list: a Stop builds a
 * record per finished call from the same policy. (A global expression is safe to share between
 * `replace` calls: each starts from, and leaves, lastIndex 0.) Each `warn` is told once of a
 * pattern that is not a valid expression.
 */
export function compilePatterns(patterns: { pattern: string }[], warn: (m: string) => void): Redaction[] {
  let compiled = COMPILED.get(patterns);
  if (!compiled) {
    compiled = { redactions: [], invalid: [], told: new WeakSet() };
    for (const p of patterns) {
      try {
        const marks = requiredMarks(p.pattern);
        compiled.redactions.push({ re: new RegExp(p.pattern, 'g'), ...(marks ? { marks } : {}) });
      } catch {
        compiled.invalid.push(p.pattern);
      }
    }
    COMPILED.set(patterns, compiled);
  }
  if (compiled.invalid.length > 0 && !compiled.told.has(warn)) {
    compiled.told.add(warn);
    for (const pattern of compiled.invalid)
      warn(`spine: ignoring a redaction pattern that is not a valid regular expression: ${pattern}`);
  }
  return compiled.redactions;
}

const COMPILED = new WeakMap<
  object,
  { redactions: Redaction[]; invalid: string[]; told: WeakSet<(m: string) => void> }
>();

export function redactString(text: string, extra: readonly Redaction[] = []): string {
  let out = text;
  for (const { marks, re } of BUILT_IN)
    if (marks.some((m) => out.includes(m))) out = out.replace(re, REDACTED);
  for (const { marks, re } of extra)
    if (!marks || marks.some((m) => out.includes(m))) out = out.replace(re, REDACTED);
  if (out.includes('://')) out = out.replace(URL_PASSWORD, (_, head: string) => `${head}${REDACTED}@`);
  const lower = out.toLowerCase();
  if (lower.includes('authorization'))
    out = out.replace(
      AUTH_HEADER,
      (_, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
    );
  if (lower.includes('bearer')) out = out.replace(BEARER, (_, head: string) => `${head}${REDACTED}`);
  if (!out.includes('=') && !out.includes(':')) return out;
  out = out.replace(ASSIGNMENT, (match, quote: string, name: string, sep: string, value: string) => {
    if (!isSecretName(name) || value.includes('[REDACTED')) return match;
    const q = value[0] === '"' || value[0] === "'" ? value[0] : '';
    return `${quote}${name}${quote}${sep}${q}${REDACTED}${q}`;
  });
  return out;
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

const MAX_ITEMS = 200;
const MAX_DEPTH = 8;
/**
 * How far past the cut a string is redacted. Only what the record shows needs redacting, so the
 * work is bounded by the cut, not by what the agent sent (a 200 KB command costs what 68 KB
 * does); the margin keeps a token that crosses the cut whole, so it is still recognised.
 */
const REDACT_MARGIN = 64 * 1024;

/** A string as the record shows it: redacted, then cut to `max`. */
export function redactShown(text: string, max: number, extra: readonly Redaction[] = []): string {
  if (text.length <= max + REDACT_MARGIN) return truncate(redactString(text, extra), max);
  const shown = redactString(text.slice(0, max + REDACT_MARGIN), extra).slice(0, max);
  return `${shown}…[truncated ${text.length - max} chars]`;
}

/** A redacted, bounded copy of a JSON value: secret-named keys lose their values entirely. */
export function redactValue(
  value: unknown,
  max: number,
  extra: readonly Redaction[] = [],
  depth = 0,
): unknown {
  if (typeof value === 'string') return redactShown(value, max, extra);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redactValue(v, max, extra, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`…[${value.length - MAX_ITEMS} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [key, v] of entries.slice(0, MAX_ITEMS)) {
    out[key] =
      isSecretName(key) && (typeof v === 'string' || typeof v === 'number') && v !== ''
        ? REDACTED
        : redactValue(v, max, extra, depth + 1);
  }
  if (entries.length > MAX_ITEMS) out['…'] = `${entries.length - MAX_ITEMS} more keys`;
  return out;
}
