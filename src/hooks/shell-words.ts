/**
 * A small shell lexer: enough of bash to see every word a command passes to any program, and
 * where a compound command splits. It never executes or expands anything but quotes, escapes
 * and ANSI-C strings; subshells, `$(…)`, backticks, braces and redirections are separators, so
 * the words inside them are seen too.
 */
export interface ShellWord {
  /** The word after quote removal. */
  text: string;
  /** Some part of it was quoted: may hold code (`python -c "…"`), scanned for paths inside. */
  quoted: boolean;
  /** Which simple command it belongs to: a new one starts at `;`, `|`, `&&`, `(`, `$(`, backticks. */
  command: number;
  /** It is the target of a redirection (`> file`, `< file`), not an argument of the program. */
  redirect: boolean;
}

export interface ShellCommand {
  words: ShellWord[];
  /** The command split on `&&`, `||`, `;`, `|`, `&` and newlines outside quotes and subshells. */
  segments: string[];
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')', '`']);
const SEGMENT_BREAK = new Set([';', '&', '|', '\n']);

const PLAIN = /[^\s;&|<>()`'"\\$#{}]+/y;
let last: { command: string; parsed: ShellCommand } | undefined;

/** Parses a command; the guard and every Bash rule ask about the same one, so the last is kept. */
export function parseShell(command: string): ShellCommand {
  if (last?.command !== command) last = { command, parsed: lex(command) };
  return last.parsed;
}

function lex(command: string): ShellCommand {
  const words: ShellWord[] = [];
  const segments: string[] = [];
  let text = '';
  let quoted = false;
  let inWord = false;
  let depth = 0;
  let segmentStart = 0;
  let commandIndex = 0;
  let redirectNext = false;

  const endWord = () => {
    if (inWord) {
      words.push({ text, quoted, command: commandIndex, redirect: redirectNext });
      redirectNext = false;
    }
    text = '';
    quoted = false;
    inWord = false;
  };
  const endSegment = (at: number, skip: number) => {
    const part = command.slice(segmentStart, at).trim();
    if (part) segments.push(part);
    segmentStart = at + skip;
  };

  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    PLAIN.lastIndex = i;
    if (PLAIN.test(command)) {
      // A run of ordinary characters in one step: long arguments stay linear and cheap.
      text += command.slice(i, PLAIN.lastIndex);
      inWord = true;
      i = PLAIN.lastIndex - 1;
    } else if (c === '\\') {
      if (command[i + 1] === '\n') i++;
      else if (i + 1 < command.length) {
        text += command[++i];
        inWord = true;
      }
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      const stop = end < 0 ? command.length : end;
      text += command.slice(i + 1, stop);
      quoted = inWord = true;
      i = stop;
    } else if (c === '"') {
      i = readDouble(command, i + 1, (s) => {
        text += s;
      });
      quoted = inWord = true;
    } else if (c === '$' && command[i + 1] === "'") {
      const end = findAnsiEnd(command, i + 2);
      text += decodeAnsi(command.slice(i + 2, end));
      quoted = inWord = true;
      i = end;
    } else if (c === '$' && command[i + 1] === '{') {
      const end = command.indexOf('}', i + 2);
      const stop = end < 0 ? command.length - 1 : end;
      text += command.slice(i, stop + 1);
      inWord = true;
      i = stop;
    } else if (c === '$' && command[i + 1] === '(') {
      endWord();
      commandIndex++;
      depth++;
      i++;
    } else if (c === '#' && !inWord) {
      const end = command.indexOf('\n', i);
      i = (end < 0 ? command.length : end) - 1;
    } else if (WORD_BREAK.has(c)) {
      endWord();
      if (c === '<' || c === '>') redirectNext = true;
      else if (c !== ' ' && c !== '\t' && !(c === '&' && command[i - 1] === '>')) commandIndex++;
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      else if (depth === 0 && SEGMENT_BREAK.has(c)) {
        // `>&` / `&>` / `|&` redirect or pipe: a pipe still splits, a redirection does not.
        const prev = command[i - 1];
        if (c === '&' && (prev === '>' || prev === '<' || command[i + 1] === '>')) continue;
        const double = (c === '&' || c === '|') && command[i + 1] === c;
        endSegment(i, double ? 2 : 1);
        if (double) i++;
      }
    } else if (c === '{' || c === '}') {
      // Brace groups and expansions: `{a,b}` keeps its text so `.env{,.local}` is still seen.
      text += c;
      inWord = true;
    } else {
      text += c;
      inWord = true;
    }
  }
  endWord();
  endSegment(command.length, 0);
  return { words, segments };
}

/** Reads a double-quoted string from `start`; returns the index of the closing quote. */
function readDouble(command: string, start: number, emit: (s: string) => void): number {
  let i = start;
  while (i < command.length && command[i] !== '"') {
    const quote = command.indexOf('"', i);
    const slash = command.indexOf('\\', i);
    const stop = slash >= 0 && (quote < 0 || slash < quote) ? slash : quote < 0 ? command.length : quote;
    if (stop > i) emit(command.slice(i, stop));
    i = stop;
    if (command[i] === '\\') {
      const next = command[i + 1] ?? '';
      if ('"\\$`'.includes(next) && next !== '') emit(next);
      else if (next !== '\n') emit(`\\${next}`);
      i += 2;
    }
  }
  return i;
}

function findAnsiEnd(command: string, start: number): number {
  let i = start;
  while (i < command.length && command[i] !== "'") i += command[i] === '\\' ? 2 : 1;
  return Math.min(i, command.length);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', e: '\x1b', '\\': '\\' };

/** `$'…'` strings: hex, octal, unicode and the common letter escapes. */
function decodeAnsi(body: string): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|.)/g,
    (_, e: string) => {
      if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U')
        return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
      return ESCAPES[e] ?? e;
    },
  );
}
